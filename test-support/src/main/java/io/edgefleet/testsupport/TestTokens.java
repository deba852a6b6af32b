package io.edgefleet.testsupport;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.time.Duration;
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

    /** A token like {@link #token} that expires {@code life} from now (the test server's key, issuer and audience). */
    public static String expiringIn(Duration life, String user, String tenant, String... roles) {
        JwtClaimsBuilder claims = Jwt.preferredUserName(user)
                .groups(Set.of(roles))
                .issuer("https://server.example.com")
                .audience(Set.of("https://service.example.com"))
                .claim("sid", "session-id")
                .subject(user)
                .claim("typ", "Bearer")
                .expiresIn(life);
        if (tenant != null) {
            claims.claim("tenant", tenant);
        }
        return claims.jws().keyId("1").sign("privateKey.jwk");
    }

    public static String token(String user, String tenant, String... roles) {
        Map<String, String> claims = tenant == null ? Map.of() : Map.of("tenant", tenant);
        return OidcWiremockTestResource.generateJwtToken(
                user, Set.of(roles), user, "Bearer", Set.of("https://service.example.com"), claims);
    }
}
