package io.edgefleet.cluster;

import com.github.dockerjava.api.model.Container;
import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.gateway.nodes.NodeNames;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rollout end to end on real Docker: three containerized clusters (one master each, to keep it short), each on its
 * own appliance — a real gateway in this JVM with the Docker driver, on the real edge link — move from profile
 * version 1.27.13 to 1.28.9 in a canary, then a wave of two: every node is re-created as a new container with the new
 * stack in its bootstrap document, each cluster is RUNNING again, and the wave starts only after the canary is done.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutContainerizedTest {

    @Inject
    AgroalDataSource db;

    private final String run = UUID.randomUUID().toString().substring(0, 4);
    private Gateways gateways;
    private Bus bus;

    @AfterAll
    void cleanUp() {
        if (gateways != null) {
            gateways.close();
            bus.close();
        }
    }

    @Test
    void aCanaryThenAWaveMoveThreeDockerClustersToTheNewProfileVersion() throws Exception {
        gateways = new Gateways();
        bus = new Bus(db);
        ProfileSnapshot v1 = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        ProfileSnapshot v2 = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.28.9", "");
        bus.profile(TENANT_A, v1);
        bus.profile(TENANT_A, v2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String uid = "docker-roll-" + run + "-" + i;
            bus.appliance(TENANT_A, Fixtures.ready(gateways.startDocker(TENANT_A, uid, Gateways.newStateDir(uid)), 1));
            String id = admin(TENANT_A)
                    .body("""
                            {"name": "%s", "profileId": "%s", "cloudConfig": {"sshKeys": ["%s"]},
                             "pools": [{"name": "masters", "master": true, "size": 1, "allowWorkerCapability": true,
                                        "cpu": 1, "memoryGb": 1, "rollingStrategy": "EXPAND_FIRST",
                                        "appliances": [{"uid": "%s"}]}]}
                            """.formatted(uid, v1.id(), Fixtures.SSH_KEY, uid))
                    .post("/v1/clusters")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            gateways.track(id);
            ids.add(id);
        }
        Map<String, String> oldContainers = new HashMap<>();
        for (String id : ids) {
            Api.awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(180));
            List<Container> containers = gateways.containersOf(id);
            assertEquals(1, containers.size());
            assertTrue(bootstrap(containers.get(0)).contains("version: 1.27.13"));
            oldContainers.put(id, containers.get(0).getLabels().get(NodeNames.NODE));
        }

        String rollout = Rollouts.create(TENANT_A, "docker rollout", v2.id(), ids, """
                {"canaries": 1, "waveSize": 2, "maxConcurrency": 2, "healthTimeout": "PT3M"}""");
        JsonPath done =
                Rollouts.await(TENANT_A, rollout, "COMPLETED", p -> true, Duration.ofMinutes(6), Duration.ofSeconds(1));
        assertEquals(ids, done.getList("clusters.clusterId"));
        assertEquals(List.of(0, 1, 1), done.getList("clusters.wave"));
        assertEquals(List.of("HEALTHY", "HEALTHY", "HEALTHY"), done.getList("clusters.state"), done::prettify);
        // the wave started only once the canary was done
        Instant canaryDone = Instant.parse(done.getString("clusters[0].finishedAt"));
        for (int i = 1; i < 3; i++) {
            assertFalse(
                    Instant.parse(done.getString("clusters[" + i + "].startedAt"))
                            .isBefore(canaryDone),
                    done::prettify);
        }
        Rollouts.assertWavesInOrder(done);

        for (String id : ids) {
            JsonPath c = Api.awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(30));
            assertEquals(v2.id(), c.getString("profile.id"));
            assertEquals("HEALTHY", c.getString("health"));
            List<Container> containers = gateways.containersOf(id);
            assertEquals(1, containers.size(), "the old node removed, its replacement running");
            Container now = containers.get(0);
            assertNotEquals(oldContainers.get(id), now.getLabels().get(NodeNames.NODE), "the node was re-created");
            assertTrue(gateways.inspect(now.getId()).getState().getRunning());
            String bootstrap = bootstrap(now);
            assertTrue(bootstrap.contains("version: 1.28.9") && !bootstrap.contains("version: 1.27.13"), bootstrap);
        }
    }

    private String bootstrap(Container c) throws InterruptedException {
        return gateways.exec(c.getId(), "cat", "/etc/edgefleet/bootstrap.yaml");
    }
}
