package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.gateway.proxy.ProxyRoutes;
import io.edgefleet.gateway.testing.Tinyproxy;
import io.edgefleet.testsupport.S3Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups and restores reach the object store through the installer's proxy (a real tinyproxy; a plain-http store,
 * so the proxy forwards the request itself and logs it), and directly when {@code --no-proxy} names the store.
 */
class ObjectStoreProxyTest {

    @TempDir
    Path dir;

    @Test
    void transfersGoThroughTheProxyUnlessNoProxyNamesTheStore() throws Exception {
        try (S3Server s3 = S3Server.start();
                S3Presigner presigner = S3Presigner.builder()
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                        .endpointOverride(URI.create(s3.endpoint()))
                        .serviceConfiguration(S3Configuration.builder()
                                .pathStyleAccessEnabled(true)
                                .build())
                        .build()) {
            s3.createBucket("backups");
            Path archive = Files.writeString(dir.resolve("archive.tar.gz"), "an archive, say");
            String sha256 = HexFormat.of().formatHex(ObjectStoreClient.sha256().digest(Files.readAllBytes(archive)));
            URI host = URI.create(s3.endpoint());

            Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"), List.of());
            try {
                ObjectStoreClient proxied = new ObjectStoreClient(
                        ProxyRoutes.of(new ProxySettings(proxy.url(), null, List.of(".corp.local")))
                                .selector());
                proxied.put(put(presigner, "via-proxy"), archive, "via-proxy");
                ObjectStoreClient.Downloaded got = proxied.get(get(presigner, "via-proxy"), dir.resolve("back"), 1_000);
                assertEquals(sha256, got.sha256());
                String seen = proxy.log();
                assertTrue(
                        seen.contains("PUT http://" + host.getHost() + ":" + host.getPort() + "/backups/via-proxy"),
                        seen);
                assertTrue(
                        seen.contains("GET http://" + host.getHost() + ":" + host.getPort() + "/backups/via-proxy"),
                        seen);
            } finally {
                proxy.close();
            }

            // --no-proxy names the store's address: direct, even with the proxy gone
            ObjectStoreClient direct =
                    new ObjectStoreClient(ProxyRoutes.of(new ProxySettings(proxy.url(), null, List.of(host.getHost())))
                            .selector());
            direct.put(put(presigner, "direct"), archive, "direct");
            assertEquals(
                    sha256,
                    direct.get(get(presigner, "direct"), dir.resolve("back2"), 1_000)
                            .sha256());
            assertFalse(proxy.log().contains("/backups/direct"));
        }
    }

    private static URI put(S3Presigner presigner, String key) {
        return URI.create(presigner
                .presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(10))
                        .putObjectRequest(r -> r.bucket("backups").key(key)))
                .url()
                .toString());
    }

    private static URI get(S3Presigner presigner, String key) {
        return URI.create(presigner
                .presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(10))
                        .getObjectRequest(r -> r.bucket("backups").key(key)))
                .url()
                .toString());
    }
}
