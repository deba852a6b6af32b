package io.edgefleet.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.model.Container;
import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaAccess;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.awaitStatus;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provisioning when things go wrong, with real gateways on the real edge link (Mosquitto, the bridge process) and
 * Docker engine: an abort in the middle, a gateway stopped and restarted mid-provisioning, a gateway silent past the
 * command timeout, a failure reported by the gateway that is fixed and retried, kill -9 of the bridge and of the MQTT
 * broker mid-provisioning, and a command forged on Kafka. Each case has its own appliance (an appliance serves one
 * cluster at a time).
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisioningResilienceTest {

    private static final Duration NODE_BOOT = Duration.ofSeconds(2);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    private Gateways gateways;
    private Bus bus;
    private ProfileSnapshot profile;

    /** Pack values whose image's registry is a closed loopback port: the pull fails at once, nothing reaches out. */
    private static final Map<String, String> BROKEN_IMAGE_VALUES =
            Map.of("ubuntu", "pack:\n  containerImage: 127.0.0.1:1/edgefleet/does-not-exist:1\n");

    @BeforeAll
    void profile() {
        gateways = new Gateways();
        bus = new Bus(db);
        profile = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(TENANT_A, profile);
    }

    @AfterAll
    void cleanUp() {
        gateways.close();
        bus.close();
    }

    /** A gateway for a new appliance, and the appliance READY in cluster-service's projection. */
    /**
     * An appliance whose nodes take 2 s each to be ready (as a real node boots): the stops, aborts and kills below
     * land while its gateway makes the nodes one after the other.
     */
    private Path appliance(String uid) {
        Path state = Gateways.newStateDir(uid);
        bus.appliance(TENANT_A, Fixtures.ready(startGateway(uid, state), 1));
        return state;
    }

    private GatewayReport startGateway(String uid, Path state) {
        return gateways.startDockerWithSlowNodes(TENANT_A, uid, state, NODE_BOOT);
    }

    private String create(String name, String uid, int workers, Map<String, String> packValues) {
        String body = Fixtures.containerizedCluster(name, profile.id(), uid, workers, uid);
        if (packValues != null) {
            ObjectNode cluster = (ObjectNode) EventJson.read(body.getBytes(StandardCharsets.UTF_8), JsonNode.class);
            cluster.set("packValues", EventJson.mapper().valueToTree(packValues));
            body = Api.json(cluster);
        }
        String id = admin(TENANT_A)
                .body(body)
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        gateways.track(id);
        return id;
    }

    private static void awaitTask(String id, Predicate<Map<String, Object>> task, Duration timeout) {
        Eventually.holds(
                timeout,
                Duration.ofMillis(100),
                () -> Api.tasks(TENANT_A, id).stream().anyMatch(task));
        assertTrue(
                Api.tasks(TENANT_A, id).stream().anyMatch(task), () -> String.join("\n", Api.taskLines(TENANT_A, id)));
    }

    private static Predicate<Map<String, Object>> masterCreated() {
        return t -> "create-node".equals(t.get("kind"))
                && "SUCCEEDED".equals(t.get("status"))
                && ((String) t.get("nodeId")).startsWith("masters-");
    }

    @Test
    void abortInTheMiddleOfProvisioningRemovesWhatWasCreated() {
        Path state = appliance("abort-1");
        // four workers: their creates take seconds one after the other, so the stop below surely lands in the middle
        String id = create("abort-me", "abort-1", 4, null);
        awaitTask(id, masterCreated(), Duration.ofSeconds(60));
        gateways.stop("abort-1"); // the workers' creates now wait in the broker: provisioning is surely in the middle
        admin(TENANT_A)
                .delete("/v1/clusters/" + id)
                .then()
                .statusCode(409)
                .contentType(Api.PROBLEM)
                .body("detail", containsString("abort a cluster being provisioned instead"));
        admin(TENANT_A)
                .post("/v1/clusters/" + id + "/abort")
                .then()
                .statusCode(202)
                .body("status", equalTo("DELETING"));

        startGateway("abort-1", state); // it runs what waited, then the deletes and the cleanup
        awaitStatus(TENANT_A, id, "DELETED", Duration.ofSeconds(90));
        assertEquals(List.of(), gateways.containersOf(id), "nothing left of the aborted cluster");
        List<Map<String, Object>> tasks = Api.tasks(TENANT_A, id);
        long aborted = tasks.stream()
                .filter(t -> "PROVISIONING → DELETING: abort".equals(t.get("message")))
                .mapToLong(t -> ((Number) t.get("seq")).longValue())
                .findFirst()
                .orElseThrow();
        assertTrue(
                tasks.stream()
                        .noneMatch(t ->
                                "create-node".equals(t.get("kind")) && ((Number) t.get("seq")).longValue() > aborted),
                "no node command is created after the abort");
        assertEquals(
                5,
                tasks.stream().filter(t -> "delete-node".equals(t.get("kind"))).count(),
                "every node sent before the abort is deleted (also those whose create was still on its way)");
        assertTrue(tasks.stream()
                .anyMatch(t -> "cleanup-cluster".equals(t.get("kind")) && "SUCCEEDED".equals(t.get("status"))));
    }

    @Test
    void aGatewayStoppedMidProvisioningAndRestartedFinishesWithoutDuplicates() {
        Path state = appliance("restart-1");
        String id = create("restart-me", "restart-1", 4, null); // as above: the stop lands in the middle
        awaitTask(id, masterCreated(), Duration.ofSeconds(60));
        gateways.stop("restart-1"); // mid-provisioning: the workers' commands are on their way
        Eventually.stays(
                "still provisioning while its gateway is away",
                Duration.ofSeconds(1),
                Duration.ofMillis(250),
                () -> "PROVISIONING".equals(Api.status(TENANT_A, id)));

        startGateway("restart-1", state); // a new gateway process on the same state directory
        awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(90));
        List<Container> containers = gateways.containersOf(id);
        assertEquals(5, containers.size(), "one container per node, none twice");
        Set<String> nodes = new HashSet<>();
        containers.forEach(c -> assertTrue(nodes.add(c.getLabels().get(NodeNames.NODE))));
        List<Map<String, Object>> creates = Api.tasks(TENANT_A, id).stream()
                .filter(t -> "create-node".equals(t.get("kind")))
                .toList();
        assertEquals(5, creates.size(), "each node was commanded once");
        for (Container c : containers) {
            assertTrue(creates.stream()
                    .anyMatch(t -> t.get("commandId").equals(c.getLabels().get(NodeNames.COMMAND))));
        }
    }

    @Test
    void aCommandForAnApplianceOfflinePastItsDeadlineFailsClearlyAndNeverRunsLater() {
        Path state = appliance("silent-1");
        gateways.stop("silent-1"); // offline: its commands wait in its MQTT session, until their deadline
        String id = create("silent", "silent-1", 0, null);
        JsonPath failed = awaitStatus(TENANT_A, id, "FAILED", Duration.ofSeconds(40));
        assertTrue(
                failed.getString("statusReason").contains("the gateway of appliance silent-1 never took create-node")
                        && failed.getString("statusReason").contains("expired undelivered"),
                failed.getString("statusReason"));
        assertEquals("PROVISIONING", failed.getString("failedFrom"));
        assertTrue(Api.tasks(TENANT_A, id).stream()
                .anyMatch(t -> "create-node".equals(t.get("kind")) && "FAILED".equals(t.get("status"))));

        // it comes back after the deadline: the broker dropped the expired command, nothing runs behind the service's
        // back
        startGateway("silent-1", state);
        Eventually.stays(
                "the expired command did not run",
                Duration.ofSeconds(5),
                Duration.ofMillis(500),
                () -> gateways.containersOf(id).isEmpty());
        assertEquals("FAILED", Api.status(TENANT_A, id));
        admin(TENANT_A).post("/v1/clusters/" + id + "/retry").then().statusCode(202); // the operator's call
        awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(60));
        assertEquals(1, gateways.containersOf(id).size());
    }

    @Test
    void killingTheBridgeAndTheMqttBrokerMidProvisioningLosesNoNodeAndDuplicatesNone() {
        appliance("crash-1");
        appliance("crash-2");
        String first = create("crash-one", "crash-1", 4, null);
        String second = create("crash-two", "crash-2", 4, null);
        awaitTask(first, masterCreated(), Duration.ofSeconds(60));
        // both gateways took every command (each node's container exists; the workers are still booting, their
        // results to come): the kills below hit what is in flight on the link — reports, sessions, the bridge's
        // uncommitted offsets. Not commands published during the outage: on a loaded machine the bridge took 36–56 s
        // to come back, longer than the command timeout (15 s in tests, the bridge keeps 2 s of it), and a command that
        // expires undelivered fails its cluster and never runs later, by design (the test above)
        for (String id : List.of(first, second)) {
            assertTrue(
                    Eventually.holds(
                            Duration.ofSeconds(90),
                            Duration.ofMillis(200),
                            () -> gateways.containersOf(id).size() == 5),
                    "every node of " + id + " is being made before the kills");
        }

        EdgeLinkTestResource.bridge().kill(); // kill -9: commands it had taken from Kafka were not committed
        Eventually.pause(Duration.ofSeconds(2)); // a deliberate outage: down for a while
        EdgeLinkTestResource.bridge().restart();
        EdgeLinkTestResource.broker()
                .kill(); // kill -9: what Mosquitto held in memory only (sessions, queued commands) is gone
        Eventually.pause(Duration.ofSeconds(2)); // likewise
        EdgeLinkTestResource.broker().restart();

        for (String id : List.of(first, second)) {
            awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(180));
            List<Container> containers = gateways.containersOf(id);
            assertEquals(5, containers.size(), "one container per node, none missing, none twice: " + id);
            Set<String> nodes = new HashSet<>();
            containers.forEach(c -> assertTrue(
                    nodes.add(c.getLabels().get(NodeNames.NODE)),
                    "node " + c.getLabels().get(NodeNames.NODE) + " twice"));
            assertEquals(
                    5,
                    Api.nodes(TENANT_A, id).stream()
                            .filter(n -> "RUNNING".equals(n.get("state")))
                            .count());
        }
    }

    @Test
    void aCommandForgedOnKafkaIsRefusedAndNothingRuns() throws Exception {
        appliance("forged-1");
        String cluster = "cf0f0f0f0";
        gateways.track(cluster);
        NodeCommand forged = new NodeCommand(
                UUID.randomUUID().toString(),
                cluster,
                "masters-f0f0",
                new NodeSpec(
                        cluster,
                        "masters",
                        "masters-f0f0",
                        NodeRole.MASTER,
                        "masters-f0f0",
                        null,
                        "edgefleet/node:latest",
                        null,
                        List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIForgedKeyOfTheAttacker attacker"),
                        Map.of(),
                        List.of(),
                        Map.of()));
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/attacker",
                EventTypes.CREATE_NODE,
                "forged-1",
                TENANT_A,
                Instant.now(),
                EventJson.write(forged));
        // anyone who reaches Kafka without credentials, and a service that may not command gateways
        Map<String, Object> anonymous =
                Map.of("bootstrap.servers", KafkaTestResource.broker().bootstrapServers());
        for (Map<String, Object> attacker :
                List.of(anonymous, KafkaTestResource.broker().clientProperties(KafkaAccess.APPLIANCE_SERVICE))) {
            Map<String, Object> settings = new HashMap<>(attacker);
            settings.put("max.block.ms", 5_000);
            settings.put("delivery.timeout.ms", 5_000);
            settings.put("request.timeout.ms", 3_000);
            try (var producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer())) {
                assertThrows(
                        Exception.class,
                        () -> producer.send(KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, "forged-1", event))
                                .get(15, TimeUnit.SECONDS),
                        "refused");
            }
        }
        Eventually.stays(
                "nothing ran on the appliance",
                Duration.ofSeconds(5),
                Duration.ofMillis(500),
                () -> gateways.containersOf(cluster).isEmpty());
        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            assertTrue(
                    reports.settle(
                                    r -> "forged-1".equals(r.key())
                                            && r.event().type().startsWith("edgefleet.gateway.command"),
                                    Duration.ofSeconds(2))
                            .isEmpty(),
                    "the gateway never heard of the command");
        }
    }

    @Test
    void aFailureReportedByTheGatewayFailsTheClusterAndARetryAfterTheFixCompletesIt() {
        appliance("fail-1");
        // the image's registry is a closed loopback port: the pull fails at once and no test reaches outside
        String id = create("broken-image", "fail-1", 1, BROKEN_IMAGE_VALUES);
        JsonPath failed = awaitStatus(TENANT_A, id, "FAILED", Duration.ofSeconds(60));
        assertTrue(
                failed.getString("statusReason").contains("127.0.0.1:1/edgefleet/does-not-exist:1"),
                failed.getString("statusReason"));
        assertTrue(
                failed.getString("statusReason").startsWith("create-node masters-"), failed.getString("statusReason"));
        assertEquals(
                "FAILED",
                Api.nodes(TENANT_A, id).stream()
                        .filter(n -> "MASTER".equals(n.get("role")))
                        .findFirst()
                        .orElseThrow()
                        .get("state"));
        admin(TENANT_A)
                .post("/v1/clusters/" + id + "/abort")
                .then()
                .statusCode(202); // allowed: it failed while provisioning...
        awaitStatus(TENANT_A, id, "DELETED", Duration.ofSeconds(60)); // ...but here we retry a fresh one instead

        String second = create("broken-image-2", "fail-1", 1, BROKEN_IMAGE_VALUES);
        awaitStatus(TENANT_A, second, "FAILED", Duration.ofSeconds(60));
        String failedCommand = Api.tasks(TENANT_A, second).stream()
                .filter(t -> "create-node".equals(t.get("kind")))
                .map(t -> (String) t.get("commandId"))
                .findFirst()
                .orElseThrow();
        admin(TENANT_A).post("/v1/clusters/" + second + "/retry").then().statusCode(202);
        awaitStatus(TENANT_A, second, "FAILED", Duration.ofSeconds(60)); // nothing fixed yet: fails again, same reason

        // the fix: the same profile without the bad override; the cluster stays FAILED until retried
        admin(TENANT_A)
                .body(Api.json(Map.of("profileId", profile.id())))
                .put("/v1/clusters/" + second + "/profile")
                .then()
                .statusCode(202)
                .body("status", equalTo("FAILED"))
                .body("packValues", equalTo(Map.of()));
        admin(TENANT_A)
                .post("/v1/clusters/" + second + "/retry")
                .then()
                .statusCode(202)
                .body("status", equalTo("PROVISIONING"));
        awaitStatus(TENANT_A, second, "RUNNING", Duration.ofSeconds(60));
        assertEquals(2, gateways.containersOf(second).size());
        List<Map<String, Object>> masterCreates = Api.tasks(TENANT_A, second).stream()
                .filter(t -> "create-node".equals(t.get("kind")) && ((String) t.get("nodeId")).startsWith("masters-"))
                .toList();
        assertEquals(3, masterCreates.size(), "the failed step ran again, each time with a new command id");
        assertEquals(
                3,
                masterCreates.stream().map(t -> t.get("commandId")).distinct().count());
        assertTrue(masterCreates.stream()
                .noneMatch(t -> t.get("commandId").equals(failedCommand) && "SUCCEEDED".equals(t.get("status"))));
        assertEquals(
                1,
                Api.tasks(TENANT_A, second).stream()
                        .filter(t -> "create-node".equals(t.get("kind"))
                                && ((String) t.get("nodeId")).startsWith("workers-"))
                        .count(),
                "the worker was created once, after the fix");
    }
}
