package io.edgefleet.appliance;

import io.edgefleet.testsupport.AuditChecks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every write is in its tenant's audit log — who, what, how it ended, which request — and nothing else is. */
@QuarkusTest
@TestInfrastructure
class AuditApiTest {

    @Test
    void writesAreRecordedWithWhoWhatOutcomeAndRequestId() {
        String uid = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String requestId = "req-" + uid;
        Response created = admin(TENANT_A)
                .header("X-Request-Id", requestId)
                .body("""
                        {"uid": "%s", "tags": {"secret-ish": "in-the-body"}}""".formatted(uid))
                .post("/v1/appliances");
        assertEquals(201, created.statusCode(), created.asString());
        assertEquals(requestId, created.header("X-Request-Id"), "the request id is echoed");
        // refused: a second registration of the same uid
        admin(TENANT_A).body("""
                        {"uid": "%s"}""".formatted(uid)).post("/v1/appliances").then().statusCode(409);
        admin(TENANT_A).delete("/v1/appliances/" + uid).then().statusCode(204);
        admin(TENANT_A).get("/v1/appliances/" + uid); // a read: not audited

        List<Map<String, Object>> entries = admin(TENANT_A)
                .queryParam("target", "/v1/appliances/" + uid)
                .get("/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        assertEquals(
                List.of("deleteAppliance"),
                entries.stream().map(e -> e.get("action")).toList(),
                entries.toString());
        List<Map<String, Object>> all = admin(TENANT_A)
                .queryParam("actor", "admin@" + TENANT_A)
                .queryParam("size", "200")
                .get("/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        assertTrue(all.stream().allMatch(e -> ("admin@" + TENANT_A).equals(e.get("actor"))), "only that actor");
        Map<String, Object> registration = all.stream()
                .filter(e -> requestId.equals(e.get("requestId")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no entry with the request id: " + all));
        assertEquals("registerAppliance", registration.get("action"));
        assertEquals("POST", registration.get("method"));
        assertEquals("/v1/appliances", registration.get("target"));
        assertEquals(201, registration.get("status"));
        assertEquals("SUCCEEDED", registration.get("outcome"));
        assertTrue(
                all.stream()
                        .anyMatch(e -> "REFUSED".equals(e.get("outcome"))
                                && Integer.valueOf(409).equals(e.get("status"))),
                "the refused registration is recorded too");
        assertFalse(all.toString().contains("in-the-body"), "never the body");
        assertFalse(all.stream().anyMatch(e -> "GET".equals(e.get("method"))), "reads are not audited");

        admin(TENANT_A)
                .queryParam("outcome", "REFUSED")
                .get("/v1/audit")
                .then()
                .statusCode(200)
                .body("items.outcome.unique()", equalTo(List.of("REFUSED")));
    }

    @Test
    void aTenantSeesOnlyItsOwnLogAndOnlyAdminsSeeIt() {
        String uid = "audit-b-" + UUID.randomUUID().toString().substring(0, 8);
        String requestId = "req-" + uid;
        admin(TENANT_B)
                .header("X-Request-Id", requestId)
                .body("""
                        {"uid": "%s"}""".formatted(uid))
                .post("/v1/appliances")
                .then()
                .statusCode(201);
        String tenantA =
                admin(TENANT_A).queryParam("size", "200").get("/v1/audit").asString();
        assertFalse(tenantA.contains(requestId), "tenant-b's write is not in tenant-a's log");
        assertTrue(admin(TENANT_B)
                .queryParam("size", "200")
                .get("/v1/audit")
                .asString()
                .contains(requestId));
        viewer(TENANT_A).get("/v1/audit").then().statusCode(403);
        given().get("/v1/audit").then().statusCode(401);
    }

    @Test
    void theSharedChecksHold() {
        AuditChecks.aWriteIsInItsTenantsLogOnly("/v1/appliances", "registerAppliance");
    }

    @Test
    void badFiltersAreNamedAllAtOnce() {
        admin(TENANT_A)
                .queryParam("outcome", "MAYBE")
                .queryParam("from", "yesterday")
                .queryParam("to", "+99999-01-01T00:00:00Z") // beyond what PostgreSQL stores: a 400, not a 500
                .queryParam("target", "/v1/\u0000x") // PostgreSQL refuses NUL: a 400, not a 500
                .queryParam("size", "0")
                .get("/v1/audit")
                .then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("outcome", "from", "to", "target", "size"));
    }
}
