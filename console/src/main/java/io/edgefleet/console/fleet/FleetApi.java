package io.edgefleet.console.fleet;

import io.edgefleet.console.config.ConsoleConfig;
import io.edgefleet.sdk.EdgeFleet;
import io.edgefleet.sdk.client.ApiClient;
import io.quarkus.oidc.AccessTokenCredential;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

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
     * appliance-service's API for its operations that answer nothing (delete an appliance, revoke a registration
     * token). The SDK sends them with {@code Accept: application/problem+json} only (their documented answers are
     * 204 or a problem), which appliance-service's resources ({@code @Produces(application/json)}) refuse with 406:
     * this client replaces the Accept header (the interceptor runs after the generated headers) until the SDK or the
     * service is fixed.
     */
    public ApiClient applianceServiceAcceptingJson() {
        String token = accessToken.getToken();
        ApiClient client = new ApiClient();
        client.updateBaseUri(stripSlash(config.applianceServiceUrl()));
        client.setConnectTimeout(Duration.ofSeconds(3));
        client.setReadTimeout(Duration.ofSeconds(15));
        client.setRequestInterceptor(request -> request.setHeader("Authorization", "Bearer " + token)
                .setHeader("Accept", "application/json, application/problem+json"));
        return client;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
