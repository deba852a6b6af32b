package io.edgefleet.appliance;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A bearer token is refused from its {@code exp} on (quarkus.oidc.token.lifespan-grace=0): the issue found expired
 * tokens accepted for about 60 s after it. The tokens here are signed like {@code TestTokens}' (the OIDC test
 * server's key, issuer and audience) with a chosen expiry.
 */
@QuarkusTest
@TestInfrastructure
class ExpiredTokenTest {

    private static final String PROBLEM = "application/problem+json";

    /** A tenant-admin token of TENANT_A, issued two minutes before {@code expiresAt}. */
    static String adminTokenExpiringAt(Instant expiresAt) {
        String user = "admin@" + TENANT_A;
        return Jwt.preferredUserName(user)
                .groups(Set.of("tenant-admin"))
                .issuer("https://server.example.com")
                .audience(Set.of("https://service.example.com"))
                .subject(user)
                .claim("typ", "Bearer")
                .claim("tenant", TENANT_A)
                .issuedAt(expiresAt.minusSeconds(120))
                .expiresAt(expiresAt)
                .jws()
                .keyId("1")
                .sign("privateKey.jwk");
    }

    @Test
    void aTokenSignedThisWayIsAcceptedBeforeItsExpiry() {
        // the control: the same token with exp ahead works, so the refusal below is about exp and nothing else
        given().auth()
                .oauth2(adminTokenExpiringAt(Instant.now().plusSeconds(60)))
                .get("/v1/appliances")
                .then()
                .statusCode(200);
    }

    @Test
    void aTokenExpiredSecondsAgoIsRefused() {
        String expired = adminTokenExpiringAt(Instant.now().minusSeconds(5));
        given().auth()
                .oauth2(expired)
                .get("/v1/appliances")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401))
                .body("type", equalTo("urn:edgefleet:problem:unauthenticated"));
        // a write is refused too, and changes nothing
        given().auth()
                .oauth2(expired)
                .contentType("application/json")
                .body("""
                {"uid": "expired-token-write"}
                """)
                .post("/v1/appliances")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        ApplianceApiTest.viewer(TENANT_A)
                .get("/v1/appliances/expired-token-write")
                .then()
                .statusCode(404);
    }
}
