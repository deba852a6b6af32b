package io.edgefleet.profile.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Downloads a registry index over HTTP(S), blocking (callers run it on a worker thread). Redirects are
 * followed by hand so that every hop passes {@link RegistryUrls}; the body is capped; every failure
 * becomes a {@link CatalogException} whose message says what an operator should look at.
 */
public final class IndexFetcher {

    private static final int MAX_REDIRECTS = 5;

    private final HttpClient client;
    private final Duration timeout;
    private final long maxBytes;
    private final boolean allowLoopback;

    public IndexFetcher(Duration timeout, long maxBytes, boolean allowLoopback) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.allowLoopback = allowLoopback;
    }

    public byte[] fetch(URI uri) throws CatalogException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            check(current);
            HttpResponse<InputStream> response = send(current);
            int status = response.statusCode();
            if (status >= 300
                    && status < 400
                    && response.headers().firstValue("location").isPresent()) {
                close(response);
                current = current.resolve(
                        response.headers().firstValue("location").get());
                continue;
            }
            if (status == 404) {
                close(response);
                throw new CatalogException("no index at " + current + " (HTTP 404)");
            }
            if (status != 200) {
                close(response);
                throw new CatalogException("the registry answered HTTP " + status + " for " + current);
            }
            return read(response, current);
        }
        throw new CatalogException("more than " + MAX_REDIRECTS + " redirects from " + uri);
    }

    private void check(URI uri) throws CatalogException {
        String problem = RegistryUrls.problem(uri.toString(), allowLoopback);
        if (problem == null) {
            try {
                for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                    problem = problem != null ? problem : RegistryUrls.blocked(address, allowLoopback);
                }
            } catch (UnknownHostException e) {
                throw new CatalogException("unknown host '" + uri.getHost() + "'");
            }
        }
        if (problem != null) {
            throw new CatalogException("refused to fetch " + uri + ": the URL " + problem);
        }
    }

    private HttpResponse<InputStream> send(URI uri) throws CatalogException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/x-yaml, application/yaml, text/yaml, */*")
                .header("User-Agent", "edgefleet-profile-service")
                .GET()
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new CatalogException("cannot connect to " + authority(uri) + " within " + timeout.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw new CatalogException("no answer from " + authority(uri) + " within " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new CatalogException("cannot connect to " + authority(uri) + " (connection refused or unreachable)");
        } catch (IOException e) {
            throw new CatalogException("cannot read from " + authority(uri) + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("interrupted while fetching " + uri);
        }
    }

    private byte[] read(HttpResponse<InputStream> response, URI uri) throws CatalogException {
        try (InputStream body = response.body()) {
            byte[] content = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (content.length > maxBytes) {
                throw new CatalogException("the index at " + uri + " is larger than " + maxBytes + " bytes");
            }
            return content;
        } catch (IOException e) {
            throw new CatalogException("the connection to " + authority(uri) + " broke while reading the index");
        }
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing to do: the response is abandoned
        }
    }

    private static String authority(URI uri) {
        return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }
}
