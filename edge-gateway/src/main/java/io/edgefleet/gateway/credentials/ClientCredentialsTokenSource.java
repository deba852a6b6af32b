package io.edgefleet.gateway.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.events.EventJson;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** OAuth 2.0 client credentials grant against the OIDC provider's token endpoint; caches the token until shortly before expiry. */
public final class ClientCredentialsTokenSource implements TokenSource {

    private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofSeconds(30);

    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final HttpClient http;
    private String token;
    private Instant refreshAt = Instant.EPOCH;

    public ClientCredentialsTokenSource(URI tokenEndpoint, String clientId, String clientSecret) {
        this.tokenEndpoint = tokenEndpoint;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public synchronized String token() {
        if (token == null || Instant.now().isAfter(refreshAt)) {
            fetch();
        }
        return token;
    }

    private void fetch() {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token endpoint " + tokenEndpoint + " answered " + response.statusCode());
            }
            JsonNode body = EventJson.mapper().readTree(response.body());
            String accessToken = body.path("access_token").asText(null);
            if (accessToken == null) {
                throw new IllegalStateException("token endpoint " + tokenEndpoint + " returned no access_token");
            }
            long expiresIn = body.path("expires_in").asLong(60);
            token = accessToken;
            refreshAt = Instant.now().plusSeconds(expiresIn).minus(REFRESH_BEFORE_EXPIRY);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach token endpoint " + tokenEndpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching a token", e);
        }
    }
}
