package io.edgefleet.cluster;

import com.github.dockerjava.api.model.Container;
import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.ServiceProcess;
import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.awaitStatus;
import static io.edgefleet.cluster.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of cluster-service on the same Kafka and PostgreSQL (this test application and the packaged service as
 * a second process, {@link ServiceProcess}), with real gateways on the real edge link and Docker: either instance
 * answers alike, and {@code kill -9} of one in the middle of provisioning loses no node and duplicates none: the other
 * takes over its Kafka partitions (reports), the outbox relay and the ticker.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutTest {

    @Inject
    AgroalDataSource db;

    private Gateways gateways;
    private Bus bus;
    private ProfileSnapshot profile;
    private ServiceProcess second;

    @BeforeAll
    void start() {
        gateways = new Gateways();
        bus = new Bus(db);
        profile = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(TENANT_A, profile);
        // its consumers leave the group within seconds of a kill -9 (broker minimum 6 s; default 45 s), well inside
        // the tests' command timeout (15 s): the partitions it held come to this instance before commands time out
        second = ServiceProcess.start(
                "cluster-service-2",
                List.of("cluster."),
                Map.of(
                        "mp.messaging.connector.smallrye-kafka.session.timeout.ms", "6000",
                        "mp.messaging.connector.smallrye-kafka.heartbeat.interval.ms", "1000"),
                Duration.ofSeconds(180));
    }

    @AfterAll
    void cleanUp() {
        second.kill();
        gateways.close();
        bus.close();
    }

    private RequestSpecification onSecond(String token) {
        return RestAssured.given()
                .baseUri("http://127.0.0.1")
                .port(second.httpPort())
                .auth()
                .oauth2(token)
                .contentType(ContentType.JSON);
    }

    /** A gateway for a new appliance, and the appliance READY in cluster-service's projection. */
    private void appliance(String uid) {
        bus.appliance(TENANT_A, Fixtures.ready(gateways.startDocker(TENANT_A, uid, Gateways.newStateDir(uid)), 1));
    }

    private String createOnSecond(String name, String uid, int workers) {
        String id = onSecond(TestTokens.admin(TENANT_A))
                .body(Fixtures.containerizedCluster(name, profile.id(), uid, workers, uid))
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        gateways.track(id);
        return id;
    }

    @Test
    @Order(1)
    void eitherInstanceAnswersAlike() {
        appliance("scale-rw-1");
        String id = createOnSecond("scale-rw", "scale-rw-1", 0);
        viewer(TENANT_A).get("/v1/clusters/" + id).then().statusCode(200);
        awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(120));
        String onFirst =
                viewer(TENANT_A).get("/v1/clusters/" + id).then().extract().asString();
        String onSecondInstance = onSecond(TestTokens.viewer(TENANT_A))
                .get("/v1/clusters/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(onFirst, onSecondInstance);
        assertEquals(
                viewer(TENANT_A)
                        .get("/v1/clusters/" + id + "/nodes")
                        .then()
                        .extract()
                        .asString(),
                onSecond(TestTokens.viewer(TENANT_A))
                        .get("/v1/clusters/" + id + "/nodes")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
        // another tenant: 404 on either instance, for reads and writes
        viewer(TENANT_B).get("/v1/clusters/" + id).then().statusCode(404);
        onSecond(TestTokens.viewer(TENANT_B)).get("/v1/clusters/" + id).then().statusCode(404);
        onSecond(TestTokens.admin(TENANT_B)).delete("/v1/clusters/" + id).then().statusCode(404);
        // a write on the first, seen on the second
        admin(TENANT_A).delete("/v1/clusters/" + id).then().statusCode(202);
        Eventually.holds(
                Duration.ofSeconds(90),
                Duration.ofMillis(200),
                () -> "DELETED"
                        .equals(onSecond(TestTokens.viewer(TENANT_A))
                                .get("/v1/clusters/" + id)
                                .then()
                                .extract()
                                .path("status")));
        assertEquals(List.of(), gateways.containersOf(id));
    }

    @Test
    @Order(2)
    void killingOneInstanceMidProvisioningLosesNoNodeAndDuplicatesNone() {
        // three clusters on three appliances: their reports spread over the partitions both instances hold
        List<String> uids = List.of("scale-kill-1", "scale-kill-2", "scale-kill-3");
        uids.forEach(this::appliance);
        List<String> ids = uids.stream()
                .map(uid -> createOnSecond("scale-" + uid.substring(6), uid, 4))
                .toList();
        Eventually.holds(
                Duration.ofSeconds(90),
                Duration.ofMillis(100),
                () -> Api.tasks(TENANT_A, ids.get(0)).stream()
                        .anyMatch(t -> "create-node".equals(t.get("kind")) && "SUCCEEDED".equals(t.get("status"))));
        assertEquals("PROVISIONING", Api.status(TENANT_A, ids.get(0)), "killed in the middle of provisioning");

        second.kill(); // kill -9: its transactions roll back, its offsets stay uncommitted, its locks go

        for (String id : ids) {
            awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(180));
            List<Container> containers = gateways.containersOf(id);
            assertEquals(5, containers.size(), "one container per node, none missing, none twice: " + id);
            Set<String> nodes = new HashSet<>();
            containers.forEach(c -> assertTrue(
                    nodes.add(c.getLabels().get(NodeNames.NODE)),
                    "node " + c.getLabels().get(NodeNames.NODE) + " twice"));
            List<Map<String, Object>> records = Api.nodes(TENANT_A, id);
            assertEquals(5, records.size(), "five node records: " + id);
            assertEquals(
                    5,
                    records.stream()
                            .filter(n -> "RUNNING".equals(n.get("state")))
                            .count());
            // every container comes from a create command of its own node; a create sent again (a command that timed
            // out while the dead instance's partitions moved over: 15 s here, 10 min by default) found the node's
            // container and created none
            List<Map<String, Object>> creates = Api.tasks(TENANT_A, id).stream()
                    .filter(t -> "create-node".equals(t.get("kind")))
                    .toList();
            for (Container c : containers) {
                assertTrue(
                        creates.stream()
                                .anyMatch(t ->
                                        t.get("commandId").equals(c.getLabels().get(NodeNames.COMMAND))),
                        "container of node " + c.getLabels().get(NodeNames.NODE) + " from a command for it");
            }
            System.out.printf(
                    "[scale-out] cluster %s RUNNING: 5 containers, 5 nodes, %d create commands%n", id, creates.size());
        }
    }
}
