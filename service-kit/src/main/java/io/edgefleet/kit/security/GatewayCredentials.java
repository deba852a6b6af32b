package io.edgefleet.kit.security;

import io.edgefleet.kit.rest.CallerTenant;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Checks the credential a gateway attaches to its reports: a bearer token of the same OIDC provider
 * as the REST API, with the {@code gateway} role and the tenant the report claims to belong to.
 * Every consumer of {@code gateway-reports} uses it: without it, anyone able to write to the topic
 * could pair another tenant's appliance or finish its node commands.
 */
@ApplicationScoped
public class GatewayCredentials {

    public static final String GATEWAY_ROLE = "gateway";

    @Inject
    TenantIdentityProvider identities;

    /** Emits null when the report may be accepted, otherwise why it may not. */
    public Uni<String> rejectionReason(String authorization, String claimedTenant) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Uni.createFrom().item("no bearer token");
        }
        return identities.authenticate(new AccessTokenCredential(authorization.substring("Bearer ".length()).trim()))
                .map(identity -> {
                    if (!identity.hasRole(GATEWAY_ROLE)) {
                        return "the token of '" + identity.getPrincipal().getName() + "' lacks the gateway role";
                    }
                    String tenant = CallerTenant.tenantOf(identity);
                    if (tenant == null || !tenant.equals(claimedTenant)) {
                        return "the token belongs to tenant '" + tenant + "', the report claims '" + claimedTenant + "'";
                    }
                    return null;
                })
                .onFailure().recoverWithItem(e -> "invalid token: " + e.getMessage());
    }
}
