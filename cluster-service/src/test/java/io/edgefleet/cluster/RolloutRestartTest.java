package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.ServiceProcess;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code kill -9} of the cluster-service instance driving a rollout, in the middle of a wave, loses nothing and
 * repeats nothing: another instance takes the rollout over from its rows and finishes it, and every cluster was
 * rolled exactly once (the records of its SIMULATED appliance's driver, {@link SimulatedAppliance}). This test
 * application serves the API and the edge link but drives no rollout (its rollout pass is paused — a test profile
 * instead would restart Quarkus and its test resources within the suite, which the in-JVM Kafka cannot): the packaged
 * service runs as processes ({@link ServiceProcess}, as {@code ScaleOutTest}), the first killed while its wave's
 * clusters are rolling (their node creates held on the appliances), the second started after.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutRestartTest {

    /** The identity of {@code RolloutRunner}'s scheduled pass. */
    private static final String ROLLOUT_PASS = "rollout-tick";

    @Inject
    Scheduler scheduler;

    /** This application never gets to a rollout pass: only the service processes drive rollouts. */
    @BeforeAll
    void pauseThisApplicationsRolloutPass() {
        scheduler.pause(ROLLOUT_PASS);
    }

    private static final int CLUSTERS = 4;

    @Inject
    AgroalDataSource db;

    private final String run = UUID.randomUUID().toString().substring(0, 4);
    private final Map<String, SimulatedAppliance> appliances = new LinkedHashMap<>();
    private Gateways gateways;
    private Bus bus;
    private final List<ServiceProcess> processes = new ArrayList<>();

    @AfterAll
    void close() {
        scheduler.resume(ROLLOUT_PASS);
        processes.forEach(ServiceProcess::kill);
        appliances.values().forEach(SimulatedAppliance::release);
        if (gateways != null) {
            gateways.close();
            bus.close();
        }
    }

    /** A cluster-service process that drives rollouts every second and leaves its consumer group fast when killed. */
    private ServiceProcess driver(String name) {
        ServiceProcess p = ServiceProcess.start(
                name,
                List.of("cluster."),
                Map.of(
                        "cluster.rollout-interval", "1s",
                        "mp.messaging.connector.smallrye-kafka.session.timeout.ms", "6000",
                        "mp.messaging.connector.smallrye-kafka.heartbeat.interval.ms", "1000"),
                Duration.ofSeconds(180));
        processes.add(p);
        return p;
    }

    @Test
    void aKilledInstanceMidWaveIsTakenOverAndNoClusterIsRolledTwice() {
        gateways = new Gateways();
        bus = new Bus(db);
        ProfileSnapshot current =
                Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        ProfileSnapshot next = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.28.9", "");
        bus.profile(TENANT_A, current);
        bus.profile(TENANT_A, next);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CLUSTERS; i++) {
            String uid = "restart-" + run + "-" + i;
            Rollouts.OneMaster cluster =
                    Rollouts.oneMasterOnItsOwnAppliance(gateways, bus, TENANT_A, uid, current.id());
            appliances.put(cluster.id(), cluster.appliance());
            ids.add(cluster.id());
        }
        ids.forEach(id -> Api.awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(90)));

        ServiceProcess first = driver("cluster-service-rollouts-1");
        ids.forEach(id -> appliances.get(id).hold()); // the first wave stays ROLLING until released
        String rollout = admin(TENANT_A)
                .body("""
                        {"name": "restart", "profileId": "%s", "selector": {"clusterIds": %s},
                         "strategy": {"canaries": 0, "waveSize": 2, "maxConcurrency": 2, "healthTimeout": "PT120S"}}
                        """.formatted(next.id(), Api.json(ids)))
                .post("/v1/rollouts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        JsonPath midWave = await(
                rollout,
                p -> p.getList("clusters.state").equals(List.of("ROLLING", "ROLLING", "PENDING", "PENDING")),
                Duration.ofSeconds(90));
        assertEquals(List.of(0, 0, 1, 1), midWave.getList("clusters.wave"));

        first.kill(); // kill -9 mid-wave: its pass (if any) rolls back, its job lock goes with its connection
        ids.forEach(id -> appliances.get(id).release());
        driver("cluster-service-rollouts-2");

        JsonPath done = await(rollout, p -> "COMPLETED".equals(p.getString("status")), Duration.ofSeconds(180));
        assertEquals(
                List.of("HEALTHY", "HEALTHY", "HEALTHY", "HEALTHY"), done.getList("clusters.state"), done::prettify);
        for (String id : ids) {
            JsonPath c = Api.awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(30));
            assertEquals(next.id(), c.getString("profile.id"), "on the new version, none left in between");
            assertEquals(2, appliances.get(id).creates(id), "rolled exactly once: one node created by the rollout");
            assertEquals(
                    1,
                    Api.taskLines(TENANT_A, id).stream()
                            .filter(l -> l.contains(" change "))
                            .count(),
                    () -> "one change of its profile: " + Api.taskLines(TENANT_A, id));
        }
    }

    private static JsonPath await(String id, java.util.function.Predicate<JsonPath> done, Duration timeout) {
        JsonPath r = Eventually.value(
                timeout,
                Duration.ofMillis(200),
                () -> viewer(TENANT_A)
                        .get("/v1/rollouts/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                done);
        assertEquals(true, done.test(r), r::prettify);
        return r;
    }
}
