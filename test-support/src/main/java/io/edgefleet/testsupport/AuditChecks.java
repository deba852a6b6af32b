package io.edgefleet.testsupport;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every service's audit log must do (kit {@code AuditFilter}, {@code GET /v1/audit}), checked against the running
 * test application: a write — here one refused for its body, so the check changes nothing — is recorded under the
 * caller's tenant with who, which operation, the status and the request id, and only that tenant's admins read it.
 */
public final class AuditChecks {

    private AuditChecks() {}

    /** @param writePath a path that takes a JSON {@code POST} (a body of {@code []} is refused with 400) */
    public static void aWriteIsInItsTenantsLogOnly(String writePath, String expectedAction) {
        String requestId = "audit-check-" + UUID.randomUUID();
        as(TestTokens.admin(TestTokens.TENANT_A))
                .header("X-Request-Id", requestId)
                .contentType(ContentType.JSON)
                .body("[]")
                .post(writePath)
                .then()
                .statusCode(400)
                .header("X-Request-Id", requestId);

        List<Map<String, Object>> entries = as(TestTokens.admin(TestTokens.TENANT_A))
                .queryParam("outcome", "REFUSED")
                .queryParam("size", "200")
                .get("/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        Map<String, Object> entry = entries.stream()
                .filter(e -> requestId.equals(e.get("requestId")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the refused write is not in the audit log: " + entries));
        assertEquals(expectedAction, entry.get("action"));
        assertEquals("POST", entry.get("method"));
        assertEquals(writePath, entry.get("target"));
        assertEquals(400, entry.get("status"));
        assertEquals("admin@" + TestTokens.TENANT_A, entry.get("actor"));

        String otherTenant = as(TestTokens.admin(TestTokens.TENANT_B))
                .queryParam("size", "200")
                .get("/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(otherTenant.contains(requestId), "another tenant never sees it");
        as(TestTokens.viewer(TestTokens.TENANT_A)).get("/v1/audit").then().statusCode(403);
        RestAssured.given().get("/v1/audit").then().statusCode(401);
        assertTrue(entry.get("occurredAt") != null);
    }

    private static RequestSpecification as(String token) {
        return RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON);
    }
}
