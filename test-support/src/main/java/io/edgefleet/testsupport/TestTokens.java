package io.edgefleet.testsupport;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;

import java.util.Map;
import java.util.Set;

/**
 * Signed bearer tokens from the OIDC test server ({@link OidcWiremockTestResource}), shaped like the
 * realm's tokens: roles in {@code groups}, the tenant in the {@code tenant} claim.
 */
public final class TestTokens {

    public static final String TENANT_A = "tenant-a";
    public static final String TENANT_B = "tenant-b";

    private TestTokens() {}

    public static String admin(String tenant) {
        return token("admin@" + tenant, tenant, "tenant-admin");
    }

    public static String viewer(String tenant) {
        return token("viewer@" + tenant, tenant, "viewer");
    }

    /**
     * A valid token whose only role is none of the API's (gateways once had one; they now have certificates): the API
     * must answer it 403.
     */
    public static String gateway(String tenant) {
        return token("gateway-" + tenant, tenant, "gateway");
    }

    public static String token(String user, String tenant, String... roles) {
        Map<String, String> claims = tenant == null ? Map.of() : Map.of("tenant", tenant);
        return OidcWiremockTestResource.generateJwtToken(
                user, Set.of(roles), user, "Bearer", Set.of("https://service.example.com"), claims);
    }
}
