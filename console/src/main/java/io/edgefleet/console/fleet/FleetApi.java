package io.edgefleet.console.fleet;

import io.edgefleet.console.config.ConsoleConfig;
import io.edgefleet.sdk.EdgeFleet;
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
}
