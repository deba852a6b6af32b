package io.edgefleet.policy;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.OsPatchFinished;
import io.edgefleet.events.payload.OsPatchRequested;
import io.edgefleet.events.payload.PolicySnapshot;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.edgefleet.policy.Api.PROBLEM;
import static io.edgefleet.policy.Api.admin;
import static io.edgefleet.policy.Api.awaitEnd;
import static io.edgefleet.policy.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OS patching by re-link (the default mode of an OS_PATCH policy): validated, published with its mode; a run sends
 * no node command, asks cluster-service (os-patch-requested) and ends with its answer (os-patch-finished, as the
 * test publishes it the way cluster-service would), or fails when the answer does not come.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OsPatchRelinkTest {

    @Inject
    AgroalDataSource db;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Clusters clusters;

    @BeforeAll
    void clusters() {
        clusters = new Clusters(db);
    }

    @AfterAll
    void close() {
        clusters.close();
    }

    private String runningCluster() {
        String id = Clusters.newId();
        clusters.publish(
                TENANT_A, id, ClusterStatus.RUNNING, List.of(Clusters.node(id + "-m0", "masters", "app-" + id)));
        return id;
    }

    private static Map<String, Object> osPatch(String name, List<String> clusterIds, Map<String, Object> patch) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "kind", "OS_PATCH", "clusterIds", clusterIds));
        if (patch != null) {
            body.put("patch", patch);
        }
        return body;
    }

    private static void assertRejected(Map<String, Object> body, String field, String message) {
        admin(TENANT_A)
                .body(body)
                .post("/v1/policies")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));
    }

    @Test
    void theModeIsRelinkByDefaultAndTheCommandBelongsToNodeCommandOnly() {
        long before = viewer(TENANT_A)
                .get("/v1/policies?kind=OS_PATCH")
                .then()
                .extract()
                .jsonPath()
                .getLong("total");
        assertRejected(
                osPatch("x", List.of(), Map.of("command", "apt-get -y upgrade")),
                "patch.command",
                "only for mode NODE_COMMAND");
        assertRejected(
                osPatch("x", List.of(), Map.of("mode", "RELINK", "rebootIfRequired", true)),
                "patch.rebootIfRequired",
                "only for mode NODE_COMMAND");
        assertRejected(
                osPatch("x", List.of(), Map.of("mode", "RELINK", "timeoutSeconds", 60)),
                "patch.timeoutSeconds",
                "only for mode NODE_COMMAND");
        assertRejected(
                osPatch("x", List.of(), Map.of("mode", "NODE_COMMAND")),
                "patch.command",
                "is required for mode NODE_COMMAND");
        admin(TENANT_A)
                .body(osPatch("x", List.of(), Map.of("mode", "SIDEWAYS")))
                .post("/v1/policies")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        assertEquals(
                before,
                viewer(TENANT_A)
                        .get("/v1/policies?kind=OS_PATCH")
                        .then()
                        .extract()
                        .jsonPath()
                        .getLong("total"),
                "nothing was created");

        try (TopicReader policyEvents = new TopicReader(Topics.POLICY_EVENTS)) {
            String relink = admin(TENANT_A)
                    .body(osPatch("os-relink-default", List.of(), null))
                    .post("/v1/policies")
                    .then()
                    .statusCode(201)
                    .body("patch.mode", equalTo("RELINK"))
                    .body("patch.command", nullValue())
                    .extract()
                    .path("id");
            String command = admin(TENANT_A)
                    .body(osPatch("os-command", List.of(), Map.of("mode", "NODE_COMMAND", "command", "true")))
                    .post("/v1/policies")
                    .then()
                    .statusCode(201)
                    .body("patch.mode", equalTo("NODE_COMMAND"))
                    .body("patch.timeoutSeconds", equalTo(1800))
                    .extract()
                    .path("id");
            assertEquals(
                    PolicySnapshot.OS_PATCH_RELINK,
                    snapshot(policyEvents, relink).osPatchMode());
            assertEquals(
                    PolicySnapshot.OS_PATCH_NODE_COMMAND,
                    snapshot(policyEvents, command).osPatchMode());

            // a policy stored before modes existed (a command, no mode) reads as NODE_COMMAND
            clusters.update(
                    "update policy.policy set settings = cast(? as jsonb) where id = cast(? as uuid)", """
                    {"patch": {"command": "true", "rebootIfRequired": true, "timeoutSeconds": 600}}
                    """, command);
            viewer(TENANT_A)
                    .get("/v1/policies/" + command)
                    .then()
                    .statusCode(200)
                    .body("patch.mode", equalTo("NODE_COMMAND"))
                    .body("patch.command", equalTo("true"));
        }
    }

    private static PolicySnapshot snapshot(TopicReader reader, String policyId) {
        List<TopicReader.Received> events = reader.await(
                r -> policyId.equals(r.key()) && r.event().type().equals(EventTypes.POLICY_CREATED),
                1,
                Duration.ofSeconds(20));
        assertEquals(1, events.size(), "policy.created of " + policyId);
        return events.get(0).event().dataAs(PolicySnapshot.class);
    }

    @Test
    void aRelinkRunAsksClusterServiceAndEndsWithItsAnswer() {
        String cluster = runningCluster();
        String policy = admin(TENANT_A)
                .body(osPatch("os-relink-" + cluster, List.of(cluster), Map.of("mode", "RELINK")))
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        try (TopicReader policyEvents = new TopicReader(Topics.POLICY_EVENTS);
                TopicReader commands = new TopicReader(Topics.GATEWAY_COMMANDS)) {
            String runId = runNow(policy, cluster, "RUNNING");
            OsPatchRequested request = request(policyEvents, runId);
            assertEquals(new OsPatchRequested(runId, policy, cluster), request);

            // runs never overlap: the cluster is taken while cluster-service rolls it
            admin(TENANT_A)
                    .body(Map.of("clusterId", cluster))
                    .post("/v1/policies/" + policy + "/runs")
                    .then()
                    .statusCode(202)
                    .body("[0].status", equalTo("SKIPPED"))
                    .body("[0].reason", containsString("run " + runId));

            clusters.osPatchFinished(
                    TENANT_A,
                    new OsPatchFinished(
                            runId,
                            cluster,
                            OsPatchFinished.Outcome.SUCCEEDED,
                            "nodes rolled onto OS release 22.04.5 (train 22.04.x, from 22.04.4); cluster RUNNING",
                            "22.04.4",
                            "22.04.5"));
            JsonPath run = awaitEnd(TENANT_A, "/v1/policies/" + policy + "/runs/" + runId, Duration.ofSeconds(30));
            assertEquals("SUCCEEDED", run.getString("status"), run.prettify());
            assertNull(run.getString("reason"));
            assertEquals("RELINK", run.getString("osPatch.mode"));
            assertEquals("22.04.4", run.getString("osPatch.fromVersion"));
            assertEquals("22.04.5", run.getString("osPatch.toVersion"));
            assertTrue(run.getString("osPatch.message").contains("nodes rolled"), run.prettify());
            assertEquals(List.of(), run.getList("nodes"), "no node task");
            assertEquals(
                    List.of(),
                    commands.settle(r -> ("app-" + cluster).equals(r.key()), Duration.ofSeconds(2)),
                    "no command went to a gateway");

            // the answer redelivered, or arriving for an ended run, changes nothing
            clusters.osPatchFinished(
                    TENANT_A, new OsPatchFinished(runId, cluster, OsPatchFinished.Outcome.FAILED, "late", null, null));

            // a failure is the run's reason
            String failing = runNow(policy, cluster, "RUNNING");
            request(policyEvents, failing);
            clusters.osPatchFinished(
                    TENANT_A,
                    new OsPatchFinished(
                            failing,
                            cluster,
                            OsPatchFinished.Outcome.FAILED,
                            "cluster " + cluster + " is UPDATING, not RUNNING",
                            null,
                            null));
            JsonPath failed = awaitEnd(TENANT_A, "/v1/policies/" + policy + "/runs/" + failing, Duration.ofSeconds(30));
            assertEquals("FAILED", failed.getString("status"));
            assertEquals("cluster " + cluster + " is UPDATING, not RUNNING", failed.getString("reason"));
            viewer(TENANT_A)
                    .get("/v1/policies/" + policy + "/runs/" + runId)
                    .then()
                    .body("status", equalTo("SUCCEEDED"));
        }
    }

    @Test
    void aRelinkRunThatHearsNothingFails() {
        String cluster = runningCluster();
        String policy = admin(TENANT_A)
                .body(osPatch("os-silent-" + cluster, List.of(cluster), null))
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String runId = runNow(policy, cluster, "RUNNING");
        JsonPath run = awaitEnd(TENANT_A, "/v1/policies/" + policy + "/runs/" + runId, Duration.ofSeconds(45));
        assertEquals("FAILED", run.getString("status"));
        assertTrue(
                run.getString("reason").startsWith("no answer from cluster-service to the OS patch request within"),
                run.prettify());
        // the cluster is free for the next run
        runNow(policy, cluster, "RUNNING");
    }

    private static String runNow(String policy, String cluster, String status) {
        return admin(TENANT_A)
                .body(Map.of("clusterId", cluster))
                .post("/v1/policies/" + policy + "/runs")
                .then()
                .statusCode(202)
                .body("[0].status", equalTo(status))
                .extract()
                .path("[0].id");
    }

    private static OsPatchRequested request(TopicReader reader, String runId) {
        List<TopicReader.Received> requests = reader.await(
                r -> r.event().type().equals(EventTypes.OS_PATCH_REQUESTED)
                        && runId.equals(r.event().dataAs(OsPatchRequested.class).runId()),
                1,
                Duration.ofSeconds(20));
        assertEquals(1, requests.size(), "os-patch-requested of run " + runId);
        TopicReader.Received received = requests.get(0);
        OsPatchRequested request = received.event().dataAs(OsPatchRequested.class);
        assertEquals(request.clusterId(), received.key(), "keyed by cluster");
        assertEquals(request.clusterId(), received.event().subject());
        return request;
    }
}
