package io.edgefleet.console.fleet;

import io.edgefleet.console.config.ConsoleConfig;
import io.edgefleet.sdk.EdgeFleet;
import io.quarkus.oidc.AccessTokenCredential;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The management API for the signed-in user: the SDK's {@link EdgeFleet} with the user's own access token (from the
 * OIDC session; Quarkus refreshes it when it expires), so each service checks the user's roles and tenant itself.
 */
@RequestScoped
public class FleetApi {

    @Inject
    ConsoleConfig config;

    @Inject
    AccessTokenCredential accessToken;

    /** For the downloads the generated SDK cannot read (it parses every answer as JSON): one client for all users. */
    private static final HttpClient DOWNLOADS =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private EdgeFleet fleet;

    public EdgeFleet fleet() {
        if (fleet == null) {
            String token = accessToken.getToken();
            fleet = EdgeFleet.builder()
                    .applianceService(config.applianceServiceUrl())
                    .profileService(config.profileServiceUrl())
                    .clusterService(config.clusterServiceUrl())
                    .policyService(config.policyServiceUrl())
                    .bearerToken(() -> token)
                    .connectTimeout(Duration.ofSeconds(3))
                    .readTimeout(Duration.ofSeconds(15))
                    .build();
        }
        return fleet;
    }

    /**
     * policy-service's answer to {@code GET pathAndQuery} with {@code accept}, with the user's token as the SDK sends
     * it, as a stream to pass on (a scan's CSV report). The caller closes the body.
     */
    public HttpResponse<InputStream> policyServiceDownload(String pathAndQuery, String accept) throws IOException {
        String base = config.policyServiceUrl().replaceAll("/+$", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Authorization", "Bearer " + accessToken.getToken())
                .header("Accept", accept)
                .timeout(Duration.ofSeconds(15))
                .GET()
                .build();
        try {
            return DOWNLOADS.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking policy-service", e);
        }
    }
}
