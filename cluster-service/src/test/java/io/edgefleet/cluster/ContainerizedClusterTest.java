package io.edgefleet.cluster;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.OsPatchFinished;
import io.edgefleet.events.payload.OsPatchRequested;
import io.edgefleet.events.payload.PolicyKind;
import io.edgefleet.events.payload.PolicySnapshot;
import io.edgefleet.events.payload.ProfileRelinked;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TestTokens;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.awaitStatus;
import static io.edgefleet.cluster.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole life of a containerized cluster against a real gateway, Kafka, PostgreSQL and Docker engine:
 * provisioned (1 master + 2 workers: three containers with the right labels, limits and files), followed
 * live over SSE, scaled up expand-first and down contract-first, healed when a node is removed behind its
 * back, rolled forward by a profile re-link (masters expand-first, workers contract-first, in that order),
 * holding a new OS release for its OS patch schedule until the schedule's run asks for it, deleted (nothing left, gone from the list).
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerizedClusterTest {

    private static final String APPLIANCE = "shop-1";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @TestHTTPResource("/")
    URL base;

    private Gateways gateways;
    private Bus bus;
    private ProfileSnapshot profile;
    private String clusterId;

    @BeforeAll
    void applianceAndProfile() {
        gateways = new Gateways();
        bus = new Bus(db);
        GatewayReport registration = gateways.startDocker(TENANT_A, APPLIANCE, Gateways.newStateDir(APPLIANCE));
        bus.appliance(TENANT_A, Fixtures.ready(registration, 1));
        profile = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(TENANT_A, profile);
    }

    @AfterAll
    void cleanUp() {
        gateways.close();
        bus.close();
    }

    @Test
    @Order(1)
    void provisionsOneMasterAndTwoWorkersAsContainers() throws Exception {
        JsonPath created = admin(TENANT_A)
                .body(Fixtures.containerizedCluster("edge-1", profile.id(), APPLIANCE, 2, APPLIANCE))
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .body("status", equalTo("PROVISIONING"))
                .body("applianceUids", equalTo(List.of(APPLIANCE)))
                .extract()
                .jsonPath();
        clusterId = created.getString("id");
        gateways.track(clusterId);
        assertTrue(clusterId.matches(NodeNames.ID.pattern()), clusterId);
        CompletableFuture<List<String>> stream = follow(clusterId, "\"RUNNING\"");

        awaitStatus(TENANT_A, clusterId, "RUNNING", Duration.ofSeconds(90));

        // three containers, running, labelled with cluster, pool, node, role and command, limited
        List<Map<String, Object>> nodes = Api.nodes(TENANT_A, clusterId);
        assertEquals(3, nodes.size());
        assertTrue(nodes.stream().allMatch(n -> "RUNNING".equals(n.get("state"))), nodes.toString());
        List<Container> containers = gateways.containersOf(clusterId);
        assertEquals(3, containers.size());
        Map<String, String> createCommands = createCommandsByNode();
        for (Container c : containers) {
            InspectContainerResponse inspected = gateways.inspect(c.getId());
            Map<String, String> labels = inspected.getConfig().getLabels();
            assertTrue(inspected.getState().getRunning(), c.getNames()[0]);
            String nodeId = labels.get(NodeNames.NODE);
            Map<String, Object> node = nodes.stream()
                    .filter(n -> nodeId.equals(n.get("nodeId")))
                    .findFirst()
                    .orElseThrow();
            assertEquals(clusterId, labels.get(NodeNames.CLUSTER));
            assertEquals(TENANT_A, labels.get(NodeNames.TENANT));
            assertEquals(node.get("pool"), labels.get(NodeNames.POOL_LABEL));
            assertEquals(node.get("role"), labels.get(NodeNames.ROLE));
            assertEquals(
                    createCommands.get(nodeId),
                    labels.get(NodeNames.COMMAND),
                    "the node's command id is on its container");
            assertEquals("edge", labels.get(NodeNames.LABEL_PREFIX + "label.env"), "the profile's tags become labels");
            assertEquals(c.getId(), node.get("ref"));
            assertEquals(1_000_000_000L, inspected.getHostConfig().getNanoCPUs());
            assertEquals(1L << 30, inspected.getHostConfig().getMemory());
            String bootstrapFile = gateways.exec(c.getId(), "cat", "/etc/edgefleet/bootstrap.yaml");
            assertTrue(
                    bootstrapFile.contains("podCIDR: 192.168.0.0/16")
                            && bootstrapFile.contains("serviceCIDR: 10.96.0.0/12")
                            && bootstrapFile.contains("version: 1.27.13")
                            && bootstrapFile.contains("update-ca-certificates")
                            && bootstrapFile.contains("ntp.ubuntu.com"),
                    bootstrapFile);
            assertTrue(bootstrapFile.contains("role: " + node.get("role")), bootstrapFile);
            assertTrue(gateways.exec(c.getId(), "cat", "/usr/local/share/ca-certificates/custom-ca.crt")
                    .contains("MIIBtestCustomCA"));
            assertTrue(gateways.exec(c.getId(), "cat", "/root/.ssh/authorized_keys")
                    .contains(Fixtures.SSH_KEY));
        }
        assertEquals(
                1, nodes.stream().filter(n -> "MASTER".equals(n.get("role"))).count());

        // tasks: the master first (created before any worker's create starts), then both workers
        List<Map<String, Object>> tasks = Api.tasks(TENANT_A, clusterId);
        List<Map<String, Object>> creates =
                tasks.stream().filter(t -> "create-node".equals(t.get("kind"))).toList();
        assertEquals(3, creates.size(), Api.taskLines(TENANT_A, clusterId).toString());
        assertTrue(creates.stream().allMatch(t -> "SUCCEEDED".equals(t.get("status"))));
        assertTrue(((String) creates.get(0).get("nodeId")).startsWith("masters-"));
        assertTrue(
                creates.get(0)
                                .get("finishedAt")
                                .toString()
                                .compareTo(creates.get(1).get("startedAt").toString())
                        <= 0,
                "workers start after the master is up");
        assertEquals(
                List.of("PENDING → PROVISIONING", "PROVISIONING → RUNNING"),
                tasks.stream()
                        .filter(t -> "status".equals(t.get("kind")))
                        .map(t -> (String) t.get("message"))
                        .toList());

        // the same progress, streamed live as Server-Sent Events
        List<String> events = stream.get(30, TimeUnit.SECONDS);
        assertTrue(
                events.stream()
                                .filter(e -> e.startsWith("task ")
                                        && e.contains("\"create-node\"")
                                        && e.contains("SUCCEEDED"))
                                .count()
                        >= 3,
                events.toString());
        assertTrue(
                events.stream().anyMatch(e -> e.startsWith("cluster ") && e.contains("\"RUNNING\"")),
                events.toString());

        // listed, filtered by status; every step on cluster-events for outside consumers
        viewer(TENANT_A)
                .get("/v1/clusters?status=RUNNING")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(clusterId));
        viewer(TENANT_A)
                .get("/v1/clusters?status=PROVISIONING")
                .then()
                .statusCode(200)
                .body("items.id", not(hasItem(clusterId)));
        try (TopicReader reader = new TopicReader(Topics.CLUSTER_EVENTS)) {
            var lifecycle = reader.await(
                    r -> clusterId.equals(r.key()) && !r.event().type().equals(EventTypes.CLUSTER_TASK),
                    3,
                    Duration.ofSeconds(20));
            assertEquals(EventTypes.CLUSTER_CREATED, lifecycle.get(0).event().type());
            ClusterSnapshot running = lifecycle.stream()
                    .map(r -> r.event().dataAs(ClusterSnapshot.class))
                    .filter(s -> s.status().name().equals("RUNNING"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(List.of(APPLIANCE), running.applianceUids());
            assertTrue(
                    reader.await(
                                            r -> clusterId.equals(r.key())
                                                    && r.event().type().equals(EventTypes.CLUSTER_TASK),
                                            8,
                                            Duration.ofSeconds(20))
                                    .size()
                            >= 8,
                    "tasks are events too");
        }
    }

    @Test
    @Order(2)
    void scalesWorkersUpExpandFirstAndDownContractFirst() {
        long before = lastSeq();
        admin(TENANT_A)
                .body("""
                {"size": 3, "rollingStrategy": "EXPAND_FIRST"}
                """)
                .put("/v1/clusters/" + clusterId + "/pools/workers")
                .then()
                .statusCode(202)
                .body("status", equalTo("UPDATING"));
        awaitStatus(TENANT_A, clusterId, "RUNNING", Duration.ofSeconds(60));
        assertEquals(
                List.of("change", "status", "create-node", "status"),
                kindsAfter(before),
                "scale up: only the new worker is created");
        assertEquals(4, gateways.containersOf(clusterId).size());

        List<String> workersBefore = Api.nodes(TENANT_A, clusterId).stream()
                .filter(n -> "workers".equals(n.get("pool")))
                .map(n -> (String) n.get("nodeId"))
                .toList();
        before = lastSeq();
        admin(TENANT_A)
                .body("""
                {"size": 1, "rollingStrategy": "CONTRACT_FIRST"}
                """)
                .put("/v1/clusters/" + clusterId + "/pools/workers")
                .then()
                .statusCode(202)
                .body("status", equalTo("UPDATING"));
        awaitStatus(TENANT_A, clusterId, "RUNNING", Duration.ofSeconds(60));
        assertEquals(
                List.of("change", "status", "delete-node", "delete-node", "status"),
                kindsAfter(before),
                "scale down: two workers deleted, none created");
        List<Container> left = gateways.containersOf(clusterId);
        assertEquals(2, left.size());
        String kept = Api.nodes(TENANT_A, clusterId).stream()
                .filter(n -> "workers".equals(n.get("pool")))
                .map(n -> (String) n.get("nodeId"))
                .findFirst()
                .orElseThrow();
        assertEquals(workersBefore.get(0), kept, "the oldest worker stays; the newest go first");
        viewer(TENANT_A)
                .get("/v1/clusters/" + clusterId)
                .then()
                .body("pools.find { it.name == 'workers' }.rollingStrategy", equalTo("CONTRACT_FIRST"))
                .body("pools.find { it.name == 'workers' }.size", equalTo(1));
    }

    @Test
    @Order(3)
    void replacesANodeRemovedBehindItsBack() {
        Container worker = gateways.containersOf(clusterId).stream()
                .filter(c -> "workers".equals(c.getLabels().get(NodeNames.POOL_LABEL)))
                .findFirst()
                .orElseThrow();
        String lost = worker.getLabels().get(NodeNames.NODE);
        long before = lastSeq();
        gateways.removeByHand(worker.getId()); // the gateway sees it go (Docker events) and reports it
        awaitStatus(TENANT_A, clusterId, "UPDATING", Duration.ofSeconds(30));
        awaitStatus(TENANT_A, clusterId, "RUNNING", Duration.ofSeconds(60));
        // the engine's die before the destroy may show for a moment as a crash (DEGRADED, a health task): aside
        List<String> kinds =
                kindsAfter(before).stream().filter(k -> !"health".equals(k)).toList();
        assertEquals("node-lost", kinds.get(0), kinds.toString());
        assertTrue(kinds.contains("create-node"), kinds.toString());
        List<Container> containers = gateways.containersOf(clusterId);
        assertEquals(2, containers.size());
        assertTrue(
                containers.stream().noneMatch(c -> lost.equals(c.getLabels().get(NodeNames.NODE))),
                "a new node took its place");
        assertEquals(2, Api.nodes(TENANT_A, clusterId).size());
    }

    @Test
    @Order(4)
    void rollsEveryNodeForwardWhenTheProfileIsRelinked() throws Exception {
        Set<String> oldNodes = Api.nodes(TENANT_A, clusterId).stream()
                .map(n -> (String) n.get("nodeId"))
                .collect(Collectors.toSet());
        long before = lastSeq();
        ProfileRelinked relink = Fixtures.relinked(profile, "1.27.14");
        profile = relink.profile();
        bus.relinked(TENANT_A, relink);
        awaitStatus(TENANT_A, clusterId, "UPDATING", Duration.ofSeconds(30));
        awaitStatus(TENANT_A, clusterId, "RUNNING", Duration.ofSeconds(90));

        List<Map<String, Object>> steps = Api.tasks(TENANT_A, clusterId).stream()
                .filter(t -> ((Number) t.get("seq")).longValue() > before)
                .filter(t -> "create-node".equals(t.get("kind")) || "delete-node".equals(t.get("kind")))
                .toList();
        List<String> order = steps.stream()
                .map(t -> t.get("kind") + ":" + ((String) t.get("nodeId")).replaceAll("-[0-9a-f]{4}$", "")
                        + (oldNodes.contains(t.get("nodeId")) ? ":old" : ":new"))
                .toList();
        assertEquals(
                List.of(
                        "create-node:masters:new",
                        "delete-node:masters:old", // masters expand first
                        "delete-node:workers:old",
                        "create-node:workers:new"),
                order, // then workers, contract first
                Api.taskLines(TENANT_A, clusterId).toString());
        for (int i = 1; i < steps.size(); i++) { // one step at a time: each starts after the previous one finished
            assertTrue(steps.get(i - 1)
                            .get("finishedAt")
                            .toString()
                            .compareTo(steps.get(i).get("startedAt").toString())
                    <= 0);
        }
        List<Container> containers = gateways.containersOf(clusterId);
        assertEquals(2, containers.size());
        for (Container c : containers) {
            assertFalse(oldNodes.contains(c.getLabels().get(NodeNames.NODE)), "every node was replaced");
            assertTrue(gateways.exec(c.getId(), "cat", "/etc/edgefleet/bootstrap.yaml")
                    .contains("version: 1.27.14"));
        }
        assertTrue(Api.tasks(TENANT_A, clusterId).stream()
                .anyMatch(t -> "change".equals(t.get("kind"))
                        && ((String) t.get("message")).contains("kubernetes 1.27.13 → 1.27.14")));
    }

    @Test
    @Order(5)
    void holdsANewOsReleaseForTheOsPatchScheduleAndRollsItWhenAsked() throws Exception {
        String policyId = UUID.randomUUID().toString();
        bus.osPatchPolicy(
                TENANT_A,
                new PolicySnapshot(
                        policyId,
                        "os-nightly",
                        PolicyKind.OS_PATCH,
                        "0 2 * * *",
                        "UTC",
                        List.of(clusterId),
                        Instant.now(),
                        Instant.now(),
                        PolicySnapshot.OS_PATCH_RELINK));
        Set<String> oldNodes = Api.nodes(TENANT_A, clusterId).stream()
                .map(n -> (String) n.get("nodeId"))
                .collect(Collectors.toSet());

        // the OS re-link waits: a task says so, nothing rolls
        ProfileRelinked os = Fixtures.relinkedOs(profile, "22.04.5");
        profile = os.profile();
        bus.relinked(TENANT_A, os);
        awaitTask(
                "OS layer ubuntu 22.04.4 → 22.04.5 (train 22.04.x, profile edge-containerized 1.0.0) waits for the OS patch schedule");
        Eventually.stays(
                "nothing rolls",
                Duration.ofSeconds(3),
                Duration.ofMillis(300),
                () -> "RUNNING".equals(Api.status(TENANT_A, clusterId)));
        assertEquals(
                oldNodes,
                gateways.containersOf(clusterId).stream()
                        .map(c -> c.getLabels().get(NodeNames.NODE))
                        .collect(Collectors.toSet()),
                "no node was replaced");
        for (Container c : gateways.containersOf(clusterId)) {
            String bootstrapFile = gateways.exec(c.getId(), "cat", "/etc/edgefleet/bootstrap.yaml");
            assertTrue(bootstrapFile.contains("version: 22.04.4") && !bootstrapFile.contains("22.04.5"), bootstrapFile);
        }

        // the schedule's run asks: the nodes roll per the pools' strategies onto the waiting release, and it is
        // answered
        try (TopicReader reader = new TopicReader(Topics.CLUSTER_EVENTS)) {
            String runId = UUID.randomUUID().toString();
            bus.osPatchRequested(TENANT_A, new OsPatchRequested(runId, policyId, clusterId));
            awaitStatus(TENANT_A, clusterId, "UPDATING", Duration.ofSeconds(30));
            awaitStatus(TENANT_A, clusterId, "RUNNING", Duration.ofSeconds(90));
            OsPatchFinished finished = osPatchFinished(reader, runId);
            assertEquals(OsPatchFinished.Outcome.SUCCEEDED, finished.outcome(), finished.message());
            assertEquals("22.04.4", finished.fromVersion());
            assertEquals("22.04.5", finished.toVersion());
            assertEquals(clusterId, finished.clusterId());
            List<Container> containers = gateways.containersOf(clusterId);
            assertEquals(2, containers.size());
            for (Container c : containers) {
                assertFalse(oldNodes.contains(c.getLabels().get(NodeNames.NODE)), "every node was replaced");
                String bootstrapFile = gateways.exec(c.getId(), "cat", "/etc/edgefleet/bootstrap.yaml");
                assertTrue(
                        bootstrapFile.contains("version: 22.04.5") && bootstrapFile.contains("version: 1.27.14"),
                        bootstrapFile);
            }
            awaitTask("OS patch run " + runId + ": OS layer ubuntu 22.04.4 → 22.04.5 (train 22.04.x)");

            // asked again: nothing newer, answered at once, nothing rolls
            String again = UUID.randomUUID().toString();
            bus.osPatchRequested(TENANT_A, new OsPatchRequested(again, policyId, clusterId));
            OsPatchFinished newest = osPatchFinished(reader, again);
            assertEquals(OsPatchFinished.Outcome.SUCCEEDED, newest.outcome());
            assertEquals("already on the newest release 22.04.5 of train 22.04.x", newest.message());
            viewer(TENANT_A).get("/v1/clusters/" + clusterId).then().body("status", equalTo("RUNNING"));

            // another tenant's request about this cluster learns nothing and changes nothing
            String foreign = UUID.randomUUID().toString();
            bus.osPatchRequested(TestTokens.TENANT_B, new OsPatchRequested(foreign, policyId, clusterId));
            OsPatchFinished refused = osPatchFinished(reader, foreign);
            assertEquals(OsPatchFinished.Outcome.FAILED, refused.outcome());
            assertEquals("cluster " + clusterId + " is not known", refused.message());
        }

        // the policy is deleted: the next OS re-link rolls at once again
        bus.send(
                Topics.POLICY_EVENTS,
                policyId,
                EventTypes.POLICY_DELETED,
                TENANT_A,
                new PolicySnapshot(
                        policyId,
                        "os-nightly",
                        PolicyKind.OS_PATCH,
                        "0 2 * * *",
                        "UTC",
                        List.of(clusterId),
                        null,
                        Instant.now(),
                        PolicySnapshot.OS_PATCH_RELINK));
        awaitNoWindow(policyId);
        ProfileRelinked next = Fixtures.relinkedOs(profile, "22.04.6");
        profile = next.profile();
        bus.relinked(TENANT_A, next);
        awaitStatus(TENANT_A, clusterId, "UPDATING", Duration.ofSeconds(30));
        awaitStatus(TENANT_A, clusterId, "RUNNING", Duration.ofSeconds(90));
        for (Container c : gateways.containersOf(clusterId)) {
            assertTrue(gateways.exec(c.getId(), "cat", "/etc/edgefleet/bootstrap.yaml")
                    .contains("version: 22.04.6"));
        }
    }

    @Test
    @Order(6)
    void deletesTheClusterAndEverythingOnTheAppliance() {
        admin(TENANT_A)
                .post("/v1/clusters/" + clusterId + "/abort")
                .then()
                .statusCode(409)
                .contentType(Api.PROBLEM)
                .body("detail", Matchers.containsString("delete a running cluster instead"));
        admin(TENANT_A)
                .delete("/v1/clusters/" + clusterId)
                .then()
                .statusCode(202)
                .body("status", equalTo("DELETING"));
        JsonPath deleted = awaitStatus(TENANT_A, clusterId, "DELETED", Duration.ofSeconds(60));
        assertEquals(List.of(), deleted.getList("applianceUids"));
        assertEquals(List.of(), gateways.containersOf(clusterId), "no container left");
        assertFalse(gateways.networkExists(clusterId), "the cluster's network is gone");
        assertEquals(List.of(), Api.nodes(TENANT_A, clusterId));
        viewer(TENANT_A).get("/v1/clusters").then().statusCode(200).body("items.id", not(hasItem(clusterId)));
        List<String> kinds = Api.tasks(TENANT_A, clusterId).stream()
                .map(t -> (String) t.get("kind"))
                .toList();
        int deleting = kinds.lastIndexOf("delete-node");
        assertTrue(
                deleting > 0 && kinds.indexOf("cleanup-cluster") > deleting,
                "nodes first, then the appliance's cleanup");
        try (TopicReader reader = new TopicReader(Topics.CLUSTER_EVENTS)) {
            var gone = reader.await(
                    r -> clusterId.equals(r.key()) && r.event().type().equals(EventTypes.CLUSTER_DELETED),
                    1,
                    Duration.ofSeconds(20));
            ClusterSnapshot last = gone.get(0).event().dataAs(ClusterSnapshot.class);
            assertEquals("DELETED", last.status().name());
            assertEquals(List.of(), last.applianceUids(), "appliance-service frees the appliance");
        }
        // the appliance and the name are free again
        String again = admin(TENANT_A)
                .body(Fixtures.containerizedCluster("edge-1", profile.id(), APPLIANCE, 0, APPLIANCE))
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        gateways.track(again);
        awaitStatus(TENANT_A, again, "RUNNING", Duration.ofSeconds(60));
        admin(TENANT_A).delete("/v1/clusters/" + again).then().statusCode(202);
        awaitStatus(TENANT_A, again, "DELETED", Duration.ofSeconds(60));
        assertEquals(List.of(), gateways.containersOf(again));
    }

    private static OsPatchFinished osPatchFinished(TopicReader reader, String runId) {
        List<TopicReader.Received> answers = reader.await(
                r -> r.event().type().equals(EventTypes.OS_PATCH_FINISHED)
                        && runId.equals(r.event().dataAs(OsPatchFinished.class).runId()),
                1,
                Duration.ofSeconds(60));
        assertEquals(1, answers.size(), "one answer to OS patch run " + runId);
        return answers.get(0).event().dataAs(OsPatchFinished.class);
    }

    private void awaitTask(String message) {
        if (!Eventually.holds(
                Duration.ofSeconds(30),
                Duration.ofMillis(200),
                () -> Api.tasks(TENANT_A, clusterId).stream().anyMatch(t -> message.equals(t.get("message"))))) {
            throw new AssertionError("no task '" + message + "' in " + Api.taskLines(TENANT_A, clusterId));
        }
    }

    private void awaitNoWindow(String policyId) {
        boolean gone = Eventually.holds(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
            try (var c = db.getConnection();
                    var st = c.prepareStatement("select count(*) from cluster.os_patch_window where policy_id = ?")) {
                st.setString(1, policyId);
                try (var rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) == 0;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(gone, "the OS patch window of policy " + policyId + " is still there");
    }

    private Map<String, String> createCommandsByNode() {
        return Api.tasks(TENANT_A, clusterId).stream()
                .filter(t -> "create-node".equals(t.get("kind")))
                .collect(
                        Collectors.toMap(t -> (String) t.get("nodeId"), t -> (String) t.get("commandId"), (a, b) -> b));
    }

    private long lastSeq() {
        List<Map<String, Object>> tasks = Api.tasks(TENANT_A, clusterId);
        return ((Number) tasks.get(tasks.size() - 1).get("seq")).longValue();
    }

    private List<String> kindsAfter(long seq) {
        return Api.tasks(TENANT_A, clusterId).stream()
                .filter(t -> ((Number) t.get("seq")).longValue() > seq)
                .map(t -> (String) t.get("kind"))
                .toList();
    }

    /** Reads the cluster's SSE stream until a line containing {@code until}; returns "event data" lines. */
    private CompletableFuture<List<String>> follow(String id, String until) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(base.toString()).resolve("v1/clusters/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + TestTokens.viewer(TENANT_A))
                .timeout(Duration.ofSeconds(120))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(response -> {
                    assertEquals(200, response.statusCode());
                    List<String> events = new ArrayList<>();
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        String name = null;
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (line.startsWith("event:")) {
                                name = line.substring(6).trim();
                            } else if (line.startsWith("data:")) {
                                String data = line.substring(5).trim();
                                events.add(name + " " + data);
                                if ("cluster".equals(name) && data.contains(until)) {
                                    return events;
                                }
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return events;
                });
    }
}
