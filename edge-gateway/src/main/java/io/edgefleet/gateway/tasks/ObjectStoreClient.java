package io.edgefleet.gateway.tasks;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Uploads and downloads archives with plain HTTP on presigned URLs (one PUT, one GET): the store's
 * credentials stay with policy-service, and the gateway needs no S3 library. A presigned URL's query is
 * a credential: it is never logged nor put in a message; only the host and object key are.
 */
final class ObjectStoreClient {

    private static final Logger LOG = Logger.getLogger(ObjectStoreClient.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Until the answer's headers: covers sending a large archive over a slow link. */
    static final Duration TRANSFER_TIMEOUT = Duration.ofHours(2);

    /** What a download produced. */
    record Downloaded(long sizeBytes, String sha256, boolean tooLarge) {}

    private final HttpClient http;

    /** @param proxies the installer's proxy rules (an https store through a CONNECT tunnel, honouring --no-proxy) */
    ObjectStoreClient(ProxySelector proxies) {
        // no redirects: a presigned request is signed for one host
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(proxies)
                .build();
    }

    void put(URI url, Path file, String objectKey) throws TaskFailedException {
        String where = TaskInputs.hostAndPort(url);
        LOG.infof("uploading %s (%d bytes) to the object store at %s", objectKey, size(file), where);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url)
                    .timeout(TRANSFER_TIMEOUT)
                    .PUT(HttpRequest.BodyPublishers.ofFile(file))
                    .build();
        } catch (IOException e) {
            throw new TaskFailedException("the archive to upload is gone: " + e.getMessage(), e);
        }
        HttpResponse<InputStream> response = send(request, where, "upload");
        try (InputStream body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new TaskFailedException("the object store at " + where + " refused the upload of " + objectKey
                        + ": " + S3Errors.describe(response.statusCode(), errorBody(body)));
            }
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new TaskFailedException("the object store at " + where + " broke off its answer to the upload: "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * Downloads into {@code target}, computing size and SHA-256 on the way; stops reading beyond
     * {@code maxBytes} (an archive larger than announced is wrong anyway).
     */
    Downloaded get(URI url, Path target, long maxBytes) throws TaskFailedException {
        String where = TaskInputs.hostAndPort(url);
        LOG.infof("downloading %s from the object store at %s", url.getRawPath(), where);
        HttpResponse<InputStream> response =
                send(HttpRequest.newBuilder(url).timeout(TRANSFER_TIMEOUT).GET().build(), where, "download");
        try (InputStream body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new TaskFailedException("the object store at " + where + " refused the download: "
                        + S3Errors.describe(response.statusCode(), errorBody(body)));
            }
            MessageDigest sha = sha256();
            long size = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = body.read(buffer)) >= 0) {
                    size += n;
                    if (size > maxBytes) {
                        return new Downloaded(size, null, true);
                    }
                    out.write(buffer, 0, n);
                }
            }
            return new Downloaded(size, HexFormat.of().formatHex(sha.digest()), false);
        } catch (IOException e) {
            throw new TaskFailedException("the download from the object store at " + where + " broke off: "
                    + e.getClass().getSimpleName());
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request, String where, String what) throws TaskFailedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new TaskFailedException("object store unreachable at " + where + " (no connection within "
                    + CONNECT_TIMEOUT.toSeconds() + " s)");
        } catch (HttpTimeoutException e) {
            throw new TaskFailedException("the object store at " + where + " did not answer the " + what + " within "
                    + TRANSFER_TIMEOUT.toMinutes() + " min");
        } catch (ConnectException e) {
            throw new TaskFailedException("object store unreachable at " + where);
        } catch (IOException e) {
            // the exception's text may quote the request: only its kind is reported
            throw new TaskFailedException("the " + what + " to the object store at " + where + " failed: "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailedException("interrupted during the " + what);
        }
    }

    private static String errorBody(InputStream body) throws IOException {
        return new String(body.readNBytes(S3Errors.MAX_BODY), StandardCharsets.UTF_8);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
