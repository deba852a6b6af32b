package io.edgefleet.policy;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.edgefleet.policy.Api.PROBLEM;
import static io.edgefleet.policy.Api.admin;
import static io.edgefleet.policy.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy API: validation (every rule answers 400 naming the field and changes nothing), roles, tenants, secrets. */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyApiTest {

    private static final String SECRET = "s3cr3t-never-shown";

    @Inject
    AgroalDataSource db;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Clusters clusters;
    String clusterA;

    @BeforeAll
    void clusters() {
        clusters = new Clusters(db);
        clusterA = Clusters.newId();
        clusters.publish(
                TENANT_A,
                clusterA,
                ClusterStatus.PROVISIONING,
                List.of(Clusters.node(clusterA + "-m0", "masters", "app-1")));
    }

    @AfterAll
    void close() {
        clusters.close();
    }

    private Map<String, Object> backupPolicy(String name) {
        return Map.of(
                "name",
                name,
                "kind",
                "BACKUP",
                "schedule",
                Map.of("cron", "0 2 * * *", "timeZone", "Europe/Berlin"),
                "clusterIds",
                List.of(clusterA),
                "backup",
                Map.of(
                        "store",
                        Map.of(
                                "endpoint",
                                "http://127.0.0.1:9",
                                "bucket",
                                "backups",
                                "accessKeyId",
                                "AK1",
                                "secretAccessKey",
                                SECRET),
                        "retention",
                        Map.of("count", 3)));
    }

    @Test
    void startsHealthyAndDocumented() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("info.title", equalTo("EdgeFleet policy-service"))
                .body("paths.keySet()", hasItem("/v1/restores"));
    }

    @Test
    void aBackupPolicyKeepsItsSecretToItself() throws Exception {
        JsonPath created = admin(TENANT_A)
                .body(backupPolicy("nightly"))
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .body("backup.store.secretAccessKeySet", equalTo(true))
                .body("backup.store.region", equalTo("us-east-1"))
                .body("backup.paths", equalTo(List.of("/var/lib/edgefleet")))
                .body("backup.includeConfiguration", equalTo(true))
                .body("backup.retention.count", equalTo(3))
                .extract()
                .jsonPath();
        String id = created.getString("id");
        assertFalse(created.prettify().contains(SECRET));
        // the schedule is read in its zone: 02:00 in Berlin, whatever the season
        Instant next = Instant.parse(created.getString("nextRunAt"));
        assertEquals(2, next.atZone(ZoneId.of("Europe/Berlin")).getHour());
        assertTrue(next.isAfter(Instant.now()));
        String body = viewer(TENANT_A)
                .get("/v1/policies/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(body.contains(SECRET));
        // encrypted at rest
        try (var c = db.getConnection();
                var st = c.prepareStatement("select store_secret from policy.policy where id = ?::uuid")) {
            st.setString(1, id);
            try (var rs = st.executeQuery()) {
                assertTrue(rs.next());
                assertTrue(rs.getString(1).startsWith("v1:"));
                assertFalse(rs.getString(1).contains(SECRET));
            }
        }
        // a replace without the secret keeps it; the kind cannot change
        Map<String, Object> changed = new HashMap<>(backupPolicy("nightly"));
        changed.put(
                "backup",
                Map.of("store", Map.of("endpoint", "http://127.0.0.1:9", "bucket", "backups2", "accessKeyId", "AK1")));
        admin(TENANT_A)
                .body(changed)
                .put("/v1/policies/" + id)
                .then()
                .statusCode(200)
                .body("backup.store.bucket", equalTo("backups2"))
                .body("backup.store.secretAccessKeySet", equalTo(true));
        changed.put("kind", "SCAN");
        changed.remove("backup");
        changed.put("scan", Map.of("kinds", List.of("PENETRATION")));
        admin(TENANT_A)
                .body(changed)
                .put("/v1/policies/" + id)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("errors[0].field", equalTo("kind"));
        // names are unique per tenant, not across tenants
        admin(TENANT_A)
                .body(backupPolicy("nightly"))
                .post("/v1/policies")
                .then()
                .statusCode(409)
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void everyBadFieldIsNamedAndNothingIsCreated() {
        long before = viewer(TENANT_A)
                .get("/v1/policies")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("total");
        assertField(
                Map.of(
                        "name",
                        "x",
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("PENETRATION")),
                        "schedule",
                        Map.of("cron", "61 * * * *")),
                "schedule.cron");
        assertField(
                Map.of(
                        "name",
                        "x",
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("PENETRATION")),
                        "schedule",
                        Map.of("cron", "* * *")),
                "schedule.cron");
        assertField(
                Map.of(
                        "name",
                        "x",
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("PENETRATION")),
                        "schedule",
                        Map.of("cron", "0 2 * * *", "timeZone", "Mars/Olympus")),
                "schedule.timeZone");
        assertField(Map.of("name", "x", "kind", "SCAN", "scan", Map.of("kinds", List.of())), "scan.kinds");
        admin(TENANT_A)
                .body("""
                {"name": "x", "kind": "SCAN", "scan": {"kinds": null}}
                """)
                .post("/v1/policies") // was a 500
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("scan.kinds"));
        admin(TENANT_A)
                .body("""
                {"name": "x", "kind": "SCAN", "scan": {"kinds": ["PENETRATION"], "forbiddenPorts": ["2375"]}}
                """)
                .post("/v1/policies")
                .then()
                .statusCode(400)
                .contentType(PROBLEM) // a string is no port number
                .body("errors.field", hasItem("scan.forbiddenPorts[0]"));
        assertField(
                Map.of(
                        "name",
                        "x",
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("PENETRATION"), "forbiddenPorts", List.of(70000))),
                "scan.forbiddenPorts[0]");
        assertField(Map.of("name", "x", "kind", "SCAN"), "scan");
        assertField(Map.of("name", "x", "kind", "BACKUP", "scan", Map.of("kinds", List.of("PENETRATION"))), "scan");
        assertField(Map.of("name", "", "kind", "SCAN", "scan", Map.of("kinds", List.of("PENETRATION"))), "name");
        assertField(
                Map.of(
                        "name",
                        "x",
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("PENETRATION")),
                        "clusterIds",
                        List.of("cNOPE")),
                "clusterIds[0]");
        assertField(
                Map.of(
                        "name",
                        "x",
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("PENETRATION")),
                        "clusterIds",
                        List.of("c0000000")),
                "clusterIds[0]");
        Map<String, Object> store = Map.of("endpoint", "ftp://host", "bucket", "Bad_Bucket", "accessKeyId", "AK");
        admin(TENANT_A)
                .body(Map.of(
                        "name",
                        "x",
                        "kind",
                        "BACKUP",
                        "backup",
                        Map.of("store", store, "paths", List.of("/var/../etc"), "retention", Map.of("count", 0))))
                .post("/v1/policies")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("backup.store.endpoint"))
                .body("errors.field", hasItem("backup.store.bucket"))
                .body("errors.field", hasItem("backup.store.secretAccessKey"))
                .body("errors.field", hasItem("backup.paths[0]"))
                .body("errors.field", hasItem("backup.retention.count"));
        assertField(
                Map.of(
                        "name",
                        "x",
                        "kind",
                        "OS_PATCH",
                        "patch",
                        Map.of("mode", "NODE_COMMAND", "command", "true", "timeoutSeconds", 5)),
                "patch.timeoutSeconds");
        admin(TENANT_A).body("""
                {"name": "x", "kind": "SCAN", "scan": {"kinds": ["PENETRATION"]}, "surprise": 1}
                """).post("/v1/policies").then().statusCode(400).contentType(PROBLEM);
        admin(TENANT_A).body("""
                {"name": "x", "kind": "NOPE"}
                """).post("/v1/policies").then().statusCode(400).contentType(PROBLEM);
        assertEquals(
                before,
                viewer(TENANT_A)
                        .get("/v1/policies")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getLong("total"));
        admin(TENANT_A).get("/v1/policies/not-a-uuid").then().statusCode(400).body("errors[0].field", equalTo("id"));
        admin(TENANT_A).get("/v1/policies?kind=NOPE").then().statusCode(400).body("errors[0].field", equalTo("kind"));
        admin(TENANT_A)
                .body(Map.of("clusterId", clusterA, "scan", Map.of("kinds", List.of("NOPE"))))
                .post("/v1/scans")
                .then()
                .statusCode(400);
        admin(TENANT_A)
                .body(Map.of("backupId", "9d0f6a8e-0000-0000-0000-000000000000"))
                .post("/v1/restores")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("backupId"));
        admin(TENANT_A).get("/v1/scans/report").then().statusCode(400);
    }

    @Test
    void oneRefusalListsEveryBadParameterAndField() {
        String bad = """
                {"name": "", "kind": "SCAN", "scan": {"kinds": []}}
                """;
        admin(TENANT_A)
                .body(bad)
                .put("/v1/policies/not-a-uuid")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("id"))
                .body("errors.field", hasItems("id", "name", "scan.kinds"));
        admin(TENANT_A)
                .body("""
                        {"clusterId":"NOT A CLUSTER"}""")
                .post("/v1/policies/nope/runs")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItems("id", "clusterId"));
        for (String list : List.of("/v1/scans", "/v1/backups", "/v1/restores")) {
            viewer(TENANT_A)
                    .get(list + "?clusterId=Bad_Id&status=NOPE&page=-1&size=0")
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("errors.field", equalTo(List.of("clusterId", "status", "page", "size")));
        }
        viewer(TENANT_A)
                .get("/v1/policies?kind=NOPE&page=x&size=201")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("kind", "page", "size")));
        viewer(TENANT_A)
                .get("/v1/policies/nope/runs?clusterId=Bad_Id&status=NOPE&size=0")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("id", "clusterId", "status", "size")));
        viewer(TENANT_A)
                .get("/v1/policies/nope/runs/nope-either")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("id", "runId")));
        viewer(TENANT_A)
                .get("/v1/scans/nope/report?format=xml")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("id", "format")));
        admin(TENANT_A)
                .body("""
                {"backupId": "nope", "clusterId": "Bad_Id"}
                """)
                .post("/v1/restores")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("backupId", "clusterId")));
        admin(TENANT_A)
                .body("""
                {"clusterId": "Bad_Id", "scan": {"kinds": [null]}}
                """)
                .post("/v1/scans")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItems("clusterId", "scan.kinds"));
    }

    @Test
    void hostileInputIsAProblemNeverAServerError() {
        // empty bodies where one is required
        for (String path : List.of("/v1/policies", "/v1/scans", "/v1/restores")) {
            admin(TENANT_A)
                    .body("")
                    .post(path)
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("field", equalTo("body"));
        }
        // ids of any length and characters: a 400 that does not repeat a kilobyte of them
        String longId = "a".repeat(1000);
        viewer(TENANT_A)
                .get("/v1/backups/" + longId)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("id"))
                .body("detail.length()", lessThan(200));
        viewer(TENANT_A)
                .get("/v1/scans?clusterId=" + longId)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("clusterId"))
                .body("detail.length()", lessThan(200));
        viewer(TENANT_A)
                .get("/v1/restores/%E2%80%AE%00x")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("id"));
        viewer(TENANT_A)
                .get("/v1/policies/9d0f6a8e-0000-0000-0000-0000000000000")
                .then()
                .statusCode(400)
                .body("field", equalTo("id"));
        // nulls inside lists, numbers beyond int, deep nesting, odd cron expressions and zones
        admin(TENANT_A)
                .body("""
                {"name": "x", "kind": "BACKUP", "clusterIds": [null],
                 "backup": {"store": {"endpoint": "http://127.0.0.1:9", "bucket": "b-1", "accessKeyId": "a", "secretAccessKey": "s"},
                            "paths": [null]}}""")
                .post("/v1/policies")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItems("clusterIds[0]", "backup.paths[0]"));
        admin(TENANT_A)
                .body("""
                {"name": "x", "kind": "BACKUP",
                 "backup": {"store": {"endpoint": "http://127.0.0.1:9", "bucket": "b-1", "accessKeyId": "a", "secretAccessKey": "s"},
                            "retention": {"count": 99999999999999999999}}}""")
                .post("/v1/policies")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("backup.retention.count"));
        String deep = "[".repeat(3000) + "]".repeat(3000);
        admin(TENANT_A)
                .body("""
                        {"name":"x","kind":"SCAN","scan":{"kinds":%s}}""".formatted(deep))
                .post("/v1/policies")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        for (String cron : List.of(
                "*/0 * * * *", "0 2 ? * *", "L * * * *", "0 2 * * 8", "0-99 * * * *", "0 2 31 2 *", "0 2 * * MON/0")) {
            admin(TENANT_A)
                    .body(Map.of(
                            "name",
                            "x",
                            "kind",
                            "SCAN",
                            "scan",
                            Map.of("kinds", List.of("PENETRATION")),
                            "schedule",
                            Map.of("cron", cron)))
                    .post("/v1/policies")
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("errors.field", hasItem("schedule.cron"));
        }
        admin(TENANT_A)
                .body(Map.of(
                        "name",
                        "x",
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("PENETRATION")),
                        "schedule",
                        Map.of("cron", "0 2 * * *", "timeZone", "Europe/" + "x".repeat(5000))))
                .post("/v1/policies")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("schedule.timeZone"))
                .body("detail.length()", lessThan(300));
        // a body that is not JSON, or not declared as JSON
        admin(TENANT_A)
                .body("{\"name\": ") // cut off mid-document: kept as the exact bytes
                .post("/v1/policies")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        given().auth()
                .oauth2(TestTokens.admin(TENANT_A))
                .contentType("text/plain")
                .body("name=x")
                .post("/v1/policies")
                .then()
                .statusCode(lessThan(500));
        viewer(TENANT_A)
                .accept("application/xml")
                .get("/v1/scans/9d0f6a8e-0000-0000-0000-000000000000/report")
                .then()
                .statusCode(lessThan(500));
    }

    private static void assertField(Map<String, Object> body, String field) {
        admin(TENANT_A)
                .body(body)
                .post("/v1/policies")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", not(nullValue()));
    }

    @Test
    void viewersReadAndTenantsStayApart() {
        viewer(TENANT_A)
                .body(backupPolicy("viewer-try"))
                .post("/v1/policies")
                .then()
                .statusCode(403);
        given().get("/v1/policies").then().statusCode(401);
        String id = admin(TENANT_A)
                .body(Map.of("name", "tenant-a-scan", "kind", "SCAN", "scan", Map.of("kinds", List.of("CONFORMANCE"))))
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        viewer(TENANT_A).get("/v1/policies/" + id).then().statusCode(200);
        viewer(TENANT_A).delete("/v1/policies/" + id).then().statusCode(403);
        viewer(TENANT_B).get("/v1/policies/" + id).then().statusCode(404).contentType(PROBLEM);
        admin(TENANT_B).delete("/v1/policies/" + id).then().statusCode(404);
        admin(TENANT_B)
                .body(Map.of())
                .post("/v1/policies/" + id + "/runs")
                .then()
                .statusCode(404);
        viewer(TENANT_B).get("/v1/policies?kind=SCAN").then().statusCode(200).body("items.id", not(hasItem(id)));
        // another tenant's cluster is no cluster at all
        admin(TENANT_B)
                .body(Map.of(
                        "name",
                        "b",
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("CONFORMANCE")),
                        "clusterIds",
                        List.of(clusterA)))
                .post("/v1/policies")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("clusterIds[0]"));
        admin(TENANT_A).delete("/v1/policies/" + id).then().statusCode(204);
        viewer(TENANT_A).get("/v1/policies/" + id).then().statusCode(404);
    }

    @Test
    void aRunOnAClusterThatIsNotRunningIsSkippedWithTheReason() {
        String id = admin(TENANT_A)
                .body(Map.of(
                        "name",
                        "early-scan",
                        "kind",
                        "SCAN",
                        "clusterIds",
                        List.of(clusterA),
                        "scan",
                        Map.of("kinds", List.of("CONFORMANCE"))))
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        admin(TENANT_A)
                .body(Map.of())
                .post("/v1/policies/" + id + "/runs")
                .then()
                .statusCode(202)
                .body("[0].status", equalTo("SKIPPED"))
                .body("[0].reason", containsString("PROVISIONING"));
        admin(TENANT_A)
                .body(Map.of("clusterId", "cother"))
                .post("/v1/policies/" + id + "/runs")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("clusterId"));
        viewer(TENANT_A)
                .get("/v1/policies/" + id + "/runs")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].trigger", equalTo("ON_DEMAND"));
        viewer(TENANT_A)
                .get("/v1/scans?clusterId=" + clusterA + "&status=SKIPPED")
                .then()
                .statusCode(200)
                .body("items.policyId", hasItem(id));
    }

    @Test
    void aClusterCreatedNamingPoliciesIsAttachedToThoseOfItsTenant() {
        String scan = admin(TENANT_A)
                .body(Map.of(
                        "name", "attach-at-create", "kind", "SCAN", "scan", Map.of("kinds", List.of("CONFORMANCE"))))
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String othersScan = admin(TENANT_B)
                .body(Map.of(
                        "name", "b-attach-at-create", "kind", "SCAN", "scan", Map.of("kinds", List.of("CONFORMANCE"))))
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String fresh = Clusters.newId();
        clusters.created(TENANT_A, fresh, List.of(scan, othersScan, "not-a-uuid"));
        viewer(TENANT_A).get("/v1/policies/" + scan).then().statusCode(200).body("clusterIds", equalTo(List.of(fresh)));
        viewer(TENANT_B)
                .get("/v1/policies/" + othersScan)
                .then()
                .statusCode(200)
                .body("clusterIds", equalTo(List.of()));
    }

    @Test
    void aDeletedClusterIsDetachedFromItsPolicies() {
        String doomed = Clusters.newId();
        clusters.publish(
                TENANT_A, doomed, ClusterStatus.RUNNING, List.of(Clusters.node(doomed + "-m0", "masters", "app-1")));
        String id = admin(TENANT_A)
                .body(Map.of(
                        "name",
                        "detach-me",
                        "kind",
                        "OS_PATCH",
                        "clusterIds",
                        List.of(clusterA, doomed),
                        "patch",
                        Map.of("mode", "NODE_COMMAND", "command", "true")))
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .body("patch.rebootIfRequired", equalTo(true))
                .body("patch.timeoutSeconds", equalTo(1800))
                .extract()
                .path("id");
        clusters.publish(TENANT_A, doomed, ClusterStatus.DELETED, List.of());
        viewer(TENANT_A)
                .get("/v1/policies/" + id)
                .then()
                .statusCode(200)
                .body("clusterIds", equalTo(List.of(clusterA)));
    }
}
