package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.awaitStatus;
import static io.edgefleet.cluster.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v1/clusters/{id}/nodes/{node}/console} of a containerized node: the container's log, read by the real
 * gateway (Docker driver) at the end of the real edge link (Kafka, bridge, Mosquitto) and back; 202 while the gateway is
 * away and the answer once it is back; 503 while its appliance is UNREACHABLE; bad input, other tenants.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeConsoleTest {

    private static final String APPLIANCE = "console-1";

    @Inject
    AgroalDataSource db;

    private Gateways gateways;
    private Bus bus;
    private Path stateDir;
    private GatewayReport registration;
    private String clusterId;
    private String nodeId;

    private ProfileSnapshot profile;

    @BeforeAll
    void applianceAndProfile() {
        gateways = new Gateways();
        bus = new Bus(db);
        stateDir = Gateways.newStateDir(APPLIANCE);
        registration = gateways.startDocker(TENANT_A, APPLIANCE, stateDir);
        bus.appliance(TENANT_A, Fixtures.ready(registration, 1));
        profile = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(TENANT_A, profile);
    }

    /** RestAssured knows the application's port only in tests, not in @BeforeAll. */
    private void runningCluster() {
        if (clusterId != null) {
            return;
        }
        String body = """
                {"name":"console-1","profileId":"%s","cloudConfig":{"sshKeys":["%s"]},
                 "pools":[{"name":"masters","master":true,"size":1,"allowWorkerCapability":true,"cpu":1,"memoryGb":1,
                           "appliances":[{"uid":"%s"}]}]}
                """.formatted(profile.id(), Fixtures.SSH_KEY, APPLIANCE);
        clusterId = admin(TENANT_A)
                .body(body)
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        gateways.track(clusterId);
        awaitStatus(TENANT_A, clusterId, "RUNNING", Duration.ofSeconds(90));
        nodeId = (String) Api.nodes(TENANT_A, clusterId).get(0).get("nodeId");
    }

    @AfterAll
    void cleanUp() {
        gateways.close();
        bus.close();
    }

    private String path(String cluster, String node) {
        return "/v1/clusters/" + cluster + "/nodes/" + node + "/console";
    }

    @Test
    @Order(1)
    void aViewerReadsTheContainersLogThroughTheGateway() {
        runningCluster();
        // the node image's init prints "rcS: sysinit on <host>" at start, then "node alive HH:MM:SS" every 5 s; the
        // first read may be answered after the call's wait (202): asked again, it waits on the same read
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> viewer(TENANT_A)
                                .queryParam("lines", 1000)
                                .get(path(clusterId, nodeId))
                                .statusCode()
                        != 202);
        JsonPath read = viewer(TENANT_A)
                .queryParam("lines", 1000)
                .get(path(clusterId, nodeId))
                .then()
                .statusCode(200)
                .body("status", equalTo("READY"))
                .body("source", equalTo("CONTAINER_LOG"))
                .body("clusterId", equalTo(clusterId))
                .body("nodeId", equalTo(nodeId))
                .body("truncated", equalTo(false))
                .extract()
                .jsonPath();
        List<String> lines = read.getList("lines", String.class);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("rcS: sysinit on")), lines.toString());

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> viewer(TENANT_A)
                        .queryParam("lines", 1)
                        .get(path(clusterId, nodeId))
                        .then()
                        .statusCode(200)
                        .body("lines.size()", equalTo(1))
                        .body("lines[0]", startsWith("node alive")));
    }

    @Test
    @Order(2)
    void badInputIsOneProblemAndOtherTenantsSeeNothing() {
        runningCluster();
        for (String bad : List.of("0", "1001", "ten")) {
            admin(TENANT_A)
                    .queryParam("lines", bad)
                    .get(path(clusterId, nodeId))
                    .then()
                    .statusCode(400)
                    .contentType(Api.PROBLEM)
                    .body("errors.field", hasItem("lines"));
        }
        admin(TENANT_B).get(path(clusterId, nodeId)).then().statusCode(404).contentType(Api.PROBLEM);
        admin(TENANT_A).get(path(clusterId, "no-such-node")).then().statusCode(404);
        admin(TENANT_A).get(path(clusterId, "Bad;Node")).then().statusCode(404);
        admin(TENANT_A).get(path("c00000000", nodeId)).then().statusCode(404);
    }

    @Test
    @Order(3)
    void whileTheGatewayIsAwayTheReadIsPendingAndAnsweredOnceItIsBack() throws Exception {
        runningCluster();
        gateways.stop(APPLIANCE);
        Response pending = viewer(TENANT_A).queryParam("lines", 5).get(path(clusterId, nodeId));
        pending.then().statusCode(202).body("status", equalTo("PENDING")).body("lines.size()", equalTo(0));
        assertEquals("2", pending.header("Retry-After"));
        String requestedAt = pending.path("requestedAt");

        // asked again at once: the same read, not sent again
        viewer(TENANT_A)
                .queryParam("lines", 5)
                .get(path(clusterId, nodeId))
                .then()
                .statusCode(202)
                .body("requestedAt", equalTo(requestedAt));

        // the gateway answers it when it is back (sent again while it stays silent)
        gateways.startDocker(TENANT_A, APPLIANCE, stateDir);
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> viewer(TENANT_A)
                        .queryParam("lines", 5)
                        .get(path(clusterId, nodeId))
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("READY"))
                        .body("requestedAt", equalTo(requestedAt))); // the read it waited on, not a new one
        assertEquals(1, answeredReadsOfFiveLines(), "one read, sent again, answered once");
    }

    @Test
    @Order(4)
    void anUnreachableApplianceIs503WithRetryAfter() {
        runningCluster();
        bus.appliance(TENANT_A, withStatus(ApplianceStatus.UNREACHABLE, 2));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> viewer(TENANT_A)
                        .get(path(clusterId, nodeId))
                        .then()
                        .statusCode(503)
                        .contentType(Api.PROBLEM)
                        .header("Retry-After", "30")
                        .body("type", equalTo("urn:edgefleet:problem:appliance-unreachable"))
                        .body("field", equalTo("node")));
        bus.appliance(TENANT_A, withStatus(ApplianceStatus.READY, 3));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        viewer(TENANT_A).get(path(clusterId, nodeId)).then().statusCode(200));
    }

    private int answeredReadsOfFiveLines() throws Exception {
        try (var c = db.getConnection();
                var q = c.prepareStatement(
                        "select count(*) from cluster.node_console_read where node_id = ? and lines = 5"
                                + " and answered_at is not null")) {
            q.setString(1, nodeId);
            try (var rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private ApplianceSnapshot withStatus(ApplianceStatus status, long version) {
        ApplianceSnapshot a = Fixtures.ready(registration, version);
        return new ApplianceSnapshot(
                a.uid(),
                status,
                a.name(),
                a.tags(),
                a.kind(),
                a.inventory(),
                a.gatewayVersion(),
                a.mode(),
                a.podCidr(),
                a.serviceCidr(),
                a.proxy(),
                a.lastSeenAt(),
                a.usedByCluster(),
                version,
                a.identity(),
                null,
                null);
    }
}
