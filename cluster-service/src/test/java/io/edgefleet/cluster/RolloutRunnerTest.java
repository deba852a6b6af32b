package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.events.payload.RolloutSnapshot;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.json;
import static io.edgefleet.cluster.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rollout job on the real infrastructure, without gateways: the clusters' appliances never answer, so each
 * cluster ends FAILED (its create command expires), and a rollout over them shows the job applying the planner's
 * decisions: the canary, not RUNNING when its turn comes, FAILED with the reason; the rollout PAUSED with nothing else
 * touched (no cluster took the new profile); a resume accepts that failure and the next failure pauses it again,
 * mid-wave; every change published.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutRunnerTest {

    @Inject
    AgroalDataSource db;

    private Bus bus;
    private String current;
    private String next;

    @BeforeAll
    void projections() {
        bus = new Bus(db);
        current = profile();
        next = profile();
    }

    @AfterAll
    void close() {
        bus.close();
    }

    private String profile() {
        ProfileSnapshot p = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(TENANT_A, p);
        return p.id();
    }

    private String failedCluster(String name) {
        bus.appliance(
                TENANT_A,
                Fixtures.appliance(name, ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        return admin(TENANT_A)
                .body("""
                        {"name": "%s", "profileId": "%s",
                         "pools": [{"name": "cp", "master": true, "size": 1, "appliances": [{"uid": "%s"}]}]}
                        """.formatted(name, current, name))
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static JsonPath rollout(String id) {
        return viewer(TENANT_A)
                .get("/v1/rollouts/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static JsonPath awaitStatus(String id, String status, Predicate predicate) {
        JsonPath r = Eventually.value(
                Duration.ofSeconds(30),
                Duration.ofMillis(200),
                () -> rollout(id),
                p -> status.equals(p.getString("status")) && predicate.test(p));
        assertEquals(status, r.getString("status"), () -> r.prettify());
        return r;
    }

    interface Predicate {
        boolean test(JsonPath p);
    }

    @Test
    void aCanaryThatCannotRollPausesTheRolloutAndNothingElseIsTouched() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            ids.add(failedCluster("rj-" + i));
        }
        ids.forEach(id -> Api.awaitStatus(TENANT_A, id, "FAILED", Duration.ofSeconds(60)));
        try (TopicReader events = new TopicReader(Topics.CLUSTER_EVENTS)) {
            String id = admin(TENANT_A)
                    .body("""
                            {"name": "canary first", "profileId": "%s", "selector": {"clusterIds": %s},
                             "strategy": {"canaries": 1, "waveSize": 2, "maxConcurrency": 2}}
                            """.formatted(next, json(ids)))
                    .post("/v1/rollouts")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");

            JsonPath paused = awaitStatus(id, "PAUSED", p -> true);
            assertEquals("a canary cluster failed", paused.getString("statusReason"));
            assertEquals(List.of("FAILED", "PENDING", "PENDING", "PENDING"), paused.getList("clusters.state"));
            assertTrue(paused.getString("clusters[0].reason").contains("not RUNNING"), paused.prettify());
            for (String cluster : ids) {
                assertEquals(current, Api.cluster(TENANT_A, cluster).getString("profile.id"), "no cluster was changed");
            }
            var pausedEvents = events.await(
                    r -> id.equals(r.key())
                            && EventTypes.ROLLOUT_PAUSED.equals(r.event().type()),
                    1,
                    Duration.ofSeconds(20));
            RolloutSnapshot snapshot = pausedEvents.get(0).event().dataAs(RolloutSnapshot.class);
            assertEquals("a canary cluster failed", snapshot.statusReason());
            assertEquals(1, snapshot.clusters().get("FAILED"));
            // operators see it in the metrics (alert RolloutPaused)
            assertTrue(
                    Eventually.holds(Duration.ofSeconds(40), Duration.ofMillis(500), () -> pausedRollouts() >= 1),
                    "edgefleet_rollouts{status=\"PAUSED\"} counts it");

            // resumed, the canary's failure is accepted; the first cluster of wave 1 fails too and pauses it mid-wave
            admin(TENANT_A).post("/v1/rollouts/" + id + "/resume").then().statusCode(200);
            JsonPath again = awaitStatus(id, "PAUSED", p -> "FAILED".equals(p.getString("clusters[1].state")));
            assertEquals("2 cluster(s) failed; at most 0 may fail", again.getString("statusReason"));
            assertEquals(List.of("FAILED", "FAILED", "PENDING", "PENDING"), again.getList("clusters.state"));

            admin(TENANT_A)
                    .post("/v1/rollouts/" + id + "/abort")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("ABORTED"));
        }
    }

    private static double pausedRollouts() {
        return io.restassured.RestAssured.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(line -> line.startsWith("edgefleet_rollouts{") && line.contains("status=\"PAUSED\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
