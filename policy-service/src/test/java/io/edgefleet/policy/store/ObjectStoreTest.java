package io.edgefleet.policy.store;

import io.edgefleet.policy.repository.PolicySettings.StoreLocation;
import io.edgefleet.testsupport.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presigned URLs and deletes against a real S3 API server (S3Proxy, which checks signatures): what a
 * gateway does with the URLs is a plain HTTP PUT or GET.
 */
class ObjectStoreTest {

    private static S3Server s3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final ObjectStore store = new ObjectStore(Duration.ofMinutes(5), Duration.ofSeconds(5));

    @BeforeAll
    static void start() {
        s3 = S3Server.start();
        s3.createBucket("backups");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private StoreLocation location(String bucket) {
        return new StoreLocation(s3.endpoint(), "us-east-1", bucket, "edge", s3.accessKey());
    }

    private static HttpResponse<String> put(String url, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPresignedPutThenGetRoundTripsAndDeleteRemoves() throws Exception {
        String key = "edge/t/c/r/node-0.tar.gz";
        HttpResponse<String> put = put(store.presignPut(location("backups"), s3.secretKey(), key), "archive bytes");
        assertEquals(200, put.statusCode(), put.body());
        HttpResponse<String> got = get(store.presignGet(location("backups"), s3.secretKey(), key));
        assertEquals(200, got.statusCode());
        assertEquals("archive bytes", got.body());
        assertTrue(s3.dataDir().resolve("backups").resolve(key).toFile().isFile());

        store.delete(location("backups"), s3.secretKey(), List.of(key, "edge/never/was.tar.gz"));
        assertEquals(
                404,
                get(store.presignGet(location("backups"), s3.secretKey(), key)).statusCode());
    }

    @Test
    void aWrongSecretOrMissingBucketIsRefusedByTheStoreWithItsReason() throws Exception {
        HttpResponse<String> wrongKey = put(store.presignPut(location("backups"), "not-the-secret", "edge/x"), "x");
        assertEquals(403, wrongKey.statusCode());
        assertTrue(wrongKey.body().contains("SignatureDoesNotMatch"), wrongKey.body());
        HttpResponse<String> noBucket =
                put(store.presignPut(location("no-such-bucket"), s3.secretKey(), "edge/x"), "x");
        assertEquals(404, noBucket.statusCode());
        assertTrue(noBucket.body().contains("NoSuchBucket"), noBucket.body());

        ObjectStore.StoreException e = assertThrows(
                ObjectStore.StoreException.class,
                () -> store.delete(location("backups"), "not-the-secret", List.of("edge/x")));
        assertTrue(e.getMessage().contains("403"), e.getMessage());
    }

    @Test
    void anUnreachableStoreSaysSo() {
        StoreLocation nowhere = new StoreLocation("http://127.0.0.1:9", "us-east-1", "backups", null, "ak");
        ObjectStore.StoreException e =
                assertThrows(ObjectStore.StoreException.class, () -> store.delete(nowhere, "sk", List.of("k")));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }
}
