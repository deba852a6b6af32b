package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The size for the rollout scenarios: 50 clusters, each on its own SIMULATED appliance (a real gateway in this
 * JVM on the real edge link whose driver records and creates nothing, {@link SimulatedAppliance}). One fleet of 50 is
 * made RUNNING once and every scenario rolls all 50, in order (50 more gateways per scenario would triple the set-up
 * for no more coverage; each scenario asserts against the create counts it found, not against a fresh fleet):
 * <ol>
 *   <li>a canary whose appliance cannot create nodes pauses the rollout and none of the other 49 is touched; it is
 *   then rolled back (its appliance repaired) and the rollout aborted;</li>
 *   <li>a rollout of all 50 in waves of 10 never has more than {@code maxConcurrency} clusters rolling, starts a wave
 *   only when the one before is done, and ends with all 50 RUNNING on the new version, each node re-created once;</li>
 *   <li>an abort while a wave is rolling (back to the first version) starts nothing new: the clusters started finish
 *   on the first version, the others stay untouched on the second, every one RUNNING.</li>
 * </ol>
 * The smaller scenarios (offline modes, windows, re-links, the event stream) are {@link RolloutRollingTest}'s.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutFiftyClustersTest {

    private static final int CLUSTERS = 50, MAX_CONCURRENCY = 5;

    @Inject
    AgroalDataSource db;

    private final String run = UUID.randomUUID().toString().substring(0, 4);
    private Gateways gateways;
    private Bus bus;
    private String current;
    private String next;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, SimulatedAppliance> appliances = new LinkedHashMap<>();

    /** Made by the first scenario (RestAssured reaches the application only from a test method on). */
    private void fleetRunning() {
        if (!ids.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        gateways = new Gateways();
        bus = new Bus(db);
        ProfileSnapshot v1 = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        ProfileSnapshot v2 = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.28.9", "");
        bus.profile(TENANT_A, v1);
        bus.profile(TENANT_A, v2);
        current = v1.id();
        next = v2.id();
        for (int i = 0; i < CLUSTERS; i++) {
            String uid = "fifty-" + run + "-" + i;
            Rollouts.OneMaster cluster = Rollouts.oneMasterOnItsOwnAppliance(gateways, bus, TENANT_A, uid, current);
            appliances.put(cluster.id(), cluster.appliance());
            ids.add(cluster.id());
        }
        ids.forEach(id -> Api.awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(180)));
        ids.forEach(id -> assertEquals(1, appliances.get(id).creates(id), "one node created per cluster"));
        System.out.printf(
                "[fifty] %d clusters RUNNING on their simulated appliances in %.1f s%n",
                CLUSTERS, (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    void close() {
        appliances.values().forEach(SimulatedAppliance::release);
        if (gateways != null) {
            gateways.close();
            bus.close();
        }
    }

    private Map<String, Long> creates() {
        Map<String, Long> creates = new HashMap<>();
        ids.forEach(id -> creates.put(id, appliances.get(id).creates(id)));
        return creates;
    }

    @Test
    @Order(1)
    void aCanaryThatFailsPausesTheRolloutAndNoneOfTheOther49IsTouched() {
        fleetRunning();
        long t0 = System.nanoTime();
        String canary = ids.get(0);
        appliances.get(canary).breakIt();
        String id = Rollouts.create(TENANT_A, "fifty canary", next, ids, """
                {"canaries": 1, "waveSize": 10, "maxConcurrency": %d, "healthTimeout": "PT90S"}""".formatted(MAX_CONCURRENCY));
        JsonPath paused = Rollouts.await(TENANT_A, id, "PAUSED", p -> true, Duration.ofSeconds(120));
        assertEquals("a canary cluster failed", paused.getString("statusReason"));
        assertEquals(canary, paused.getString("clusters[0].clusterId"));
        assertEquals("FAILED", paused.getString("clusters[0].state"));
        assertEquals(CLUSTERS - 1, Rollouts.count(paused, "PENDING"), paused.prettify());
        for (String other : ids.subList(1, CLUSTERS)) {
            JsonPath c = Api.cluster(TENANT_A, other);
            assertEquals(current, c.getString("profile.id"), "not touched");
            assertEquals("RUNNING", c.getString("status"));
            assertEquals(1, appliances.get(other).creates(other), "its appliance was asked nothing");
        }

        // the canary back on its version (its appliance repaired), so the next scenario starts from a RUNNING fleet
        appliances.get(canary).repair();
        admin(TENANT_A)
                .post("/v1/rollouts/" + id + "/clusters/" + canary + "/rollback")
                .then()
                .statusCode(200);
        Rollouts.await(
                TENANT_A,
                id,
                "PAUSED",
                p -> "ROLLED_BACK".equals(p.getString("clusters[0].state")),
                Duration.ofSeconds(90));
        assertEquals(
                current,
                Api.awaitStatus(TENANT_A, canary, "RUNNING", Duration.ofSeconds(30))
                        .getString("profile.id"));
        admin(TENANT_A).post("/v1/rollouts/" + id + "/abort").then().statusCode(200);
        for (String other : ids.subList(1, CLUSTERS)) {
            assertEquals(1, appliances.get(other).creates(other), "still nothing else touched");
        }
        System.out.printf("[fifty] canary scenario %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    @Order(2)
    void all50RollInWavesWithinMaxConcurrencyAndEndOnTheNewVersion() {
        fleetRunning();
        long t0 = System.nanoTime();
        Map<String, Long> before = creates();
        String id = Rollouts.create(TENANT_A, "fifty waves", next, ids, """
                {"canaries": 1, "waveSize": 10, "maxConcurrency": %d, "healthTimeout": "PT90S"}""".formatted(MAX_CONCURRENCY));
        JsonPath done =
                Rollouts.await(TENANT_A, id, "COMPLETED", p -> true, Duration.ofMinutes(6), Duration.ofSeconds(1));
        assertEquals(ids, done.getList("clusters.clusterId"));
        List<Integer> waves = done.getList("clusters.wave");
        assertEquals(0, waves.get(0));
        assertEquals(1, waves.stream().filter(w -> w == 0).count(), "one canary");
        assertEquals(5, waves.get(CLUSTERS - 1), "then waves of 10: 10, 10, 10, 10, 9");
        assertEquals(CLUSTERS, Rollouts.count(done, "HEALTHY"), done.prettify());
        long most = Rollouts.mostRollingAtOnce(Rollouts.spans(done));
        assertTrue(most <= MAX_CONCURRENCY, () -> most + " clusters rolling at once: " + done.prettify());
        assertTrue(most >= 2, () -> "the waves ran clusters side by side: " + most);
        Rollouts.assertWavesInOrder(done);
        for (String cluster : ids) {
            JsonPath c = Api.cluster(TENANT_A, cluster);
            assertEquals("RUNNING", c.getString("status"));
            assertEquals(next, c.getString("profile.id"));
            assertEquals(before.get(cluster) + 1, appliances.get(cluster).creates(cluster), "its node re-created once");
        }
        System.out.printf(
                "[fifty] waves scenario %.1f s (most rolling at once: %d)%n", (System.nanoTime() - t0) / 1e9, most);
    }

    @Test
    @Order(3)
    void anAbortMidWaveStartsNothingNewAndAll50EndRunningOnOneVersionOrTheOther() {
        fleetRunning();
        long t0 = System.nanoTime();
        Map<String, Long> before = creates();
        String from = Api.cluster(TENANT_A, ids.get(0)).getString("profile.id");
        String to = from.equals(next) ? current : next; // back to the first version after the waves scenario
        ids.forEach(c -> appliances.get(c).hold());
        String id = Rollouts.create(TENANT_A, "fifty abort", to, ids, """
                {"canaries": 0, "waveSize": 25, "maxConcurrency": %d, "healthTimeout": "PT90S"}""".formatted(MAX_CONCURRENCY));
        JsonPath rolling = Rollouts.await(
                TENANT_A, id, "RUNNING", p -> Rollouts.count(p, "ROLLING") == MAX_CONCURRENCY, Duration.ofSeconds(60));
        admin(TENANT_A).post("/v1/rollouts/" + id + "/abort").then().statusCode(200);
        List<String> started = new ArrayList<>();
        for (int i = 0; i < CLUSTERS; i++) {
            if ("ROLLING".equals(rolling.getString("clusters[" + i + "].state"))) {
                started.add(rolling.getString("clusters[" + i + "].clusterId"));
            }
        }
        ids.forEach(c -> appliances.get(c).release());

        JsonPath aborted = Rollouts.await(
                TENANT_A, id, "ABORTED", p -> Rollouts.count(p, "ROLLING") == 0, Duration.ofSeconds(120));
        assertEquals(MAX_CONCURRENCY, started.size());
        for (int i = 0; i < CLUSTERS; i++) {
            String cluster = aborted.getString("clusters[" + i + "].clusterId");
            JsonPath c = Api.awaitStatus(TENANT_A, cluster, "RUNNING", Duration.ofSeconds(60));
            if (started.contains(cluster)) {
                assertEquals("HEALTHY", aborted.getString("clusters[" + i + "].state"));
                assertEquals(to, c.getString("profile.id"));
                assertEquals(before.get(cluster) + 1, appliances.get(cluster).creates(cluster));
            } else {
                assertEquals("PENDING", aborted.getString("clusters[" + i + "].state"), aborted.prettify());
                assertEquals(from, c.getString("profile.id"), "nothing new started after the abort");
                assertEquals(before.get(cluster), appliances.get(cluster).creates(cluster));
            }
        }
        System.out.printf("[fifty] abort scenario %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
