package io.edgefleet.cluster;

import com.github.dockerjava.api.model.Container;
import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.testsupport.Eventually;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.awaitStatus;
import static io.edgefleet.cluster.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes that go down under a running cluster, with a real gateway, edge link and Docker engine: stopped and killed
 * behind the gateway's back, a gateway starting after a "reboot" with its nodes down, and, last, the engine itself
 * restarted (only an engine the repository's scripts started: CI's and the local stack's). A node stopped or killed
 * behind the gateway's back makes the cluster DEGRADED, saying which and since when (alike in the list and the single
 * view), and is started again after the grace period ({@code %test.cluster.node-repair-after}, 4 s); a gateway that
 * starts again after a "reboot" with its nodes down starts them itself; nodes that will not start are replaced as
 * their pools' rolling strategies say.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeRecoveryTest {

    private static final String APPLIANCE = "recover-1";

    @Inject
    AgroalDataSource db;

    private Gateways gateways;
    private Bus bus;
    private Path state;
    private ProfileSnapshot profile;
    private String clusterId;

    @BeforeAll
    void applianceAndProfile() {
        gateways = new Gateways();
        bus = new Bus(db);
        state = Gateways.newStateDir(APPLIANCE);
        bus.appliance(TENANT_A, Fixtures.ready(gateways.startDocker(TENANT_A, APPLIANCE, state), 1));
        profile = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(TENANT_A, profile);
    }

    @Test
    @Order(0)
    void aClusterOfOneMasterAndOneWorkerRunsHealthy() {
        clusterId = admin(TENANT_A)
                .body(Fixtures.containerizedCluster("recover-me", profile.id(), APPLIANCE, 1, APPLIANCE))
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        gateways.track(clusterId);
        JsonPath running = awaitStatus(TENANT_A, clusterId, "RUNNING", Duration.ofSeconds(90));
        assertEquals("HEALTHY", running.getString("health"));
        assertEquals(null, running.getString("healthReason"));
    }

    @AfterAll
    void cleanUp() {
        gateways.close();
        bus.close();
    }

    @Test
    @Order(1)
    void aNodeStoppedBehindTheGatewaysBackDegradesTheClusterUntilItIsStartedAgain() {
        Container worker = container("workers");
        String node = worker.getLabels().get(NodeNames.NODE);
        long before = lastSeq();
        gateways.stopByHand(worker.getId());

        JsonPath degraded = awaitHealth("DEGRADED", Duration.ofSeconds(30));
        String reason = degraded.getString("healthReason");
        assertTrue(
                reason.startsWith("node " + node + " on appliance " + APPLIANCE + " STOPPED since "),
                reason); // and the gateway's word, e.g. "(docker event stop: exited with code 0)"
        assertEquals("RUNNING", degraded.getString("status"), "health is not the status");
        assertListShowsWhatTheClusterShows();
        assertEquals(1, runningNodes(degraded, "masters"));
        assertEquals(0, runningNodes(degraded, "workers"), "the stopped worker does not run");
        Map<String, Object> nodeView = Api.nodes(TENANT_A, clusterId).stream()
                .filter(n -> node.equals(n.get("nodeId")))
                .findFirst()
                .orElseThrow();
        assertEquals("STOPPED", nodeView.get("observedState"));
        assertTrue(nodeView.get("downSince") != null);

        JsonPath healthy = awaitHealth("HEALTHY", Duration.ofSeconds(60));
        assertEquals(1, runningNodes(healthy, "workers"));
        assertListShowsWhatTheClusterShows();
        List<String> kinds = kindsAfter(before);
        assertEquals(
                List.of("health", "start-node", "health"),
                kinds,
                String.join("\n", Api.taskLines(TENANT_A, clusterId)));
        assertEquals(worker.getId(), container("workers").getId(), "the same node, started again (not replaced)");
        assertEquals("running", container("workers").getState());
        awaitRepairsDone(before);
    }

    @Test
    @Order(2)
    void aKilledNodeIsACrashAndIsStartedAgainToo() {
        Container master = container("masters");
        long before = lastSeq();
        gateways.killByHand(master.getId()); // its main process dies: exit 137

        JsonPath degraded = awaitHealth("DEGRADED", Duration.ofSeconds(30));
        assertTrue(degraded.getString("healthReason").contains(" FAILED since "), degraded.getString("healthReason"));
        assertTrue(degraded.getString("healthReason").contains("137"), degraded.getString("healthReason"));
        awaitHealth("HEALTHY", Duration.ofSeconds(60));
        assertEquals(List.of("health", "start-node", "health"), kindsAfter(before));
        assertEquals(master.getId(), container("masters").getId());
        assertEquals("running", container("masters").getState());
        awaitRepairsDone(before);
    }

    @Test
    @Order(3)
    void aGatewayStartingWithItsNodesDownAsAfterARebootStartsThemItself() {
        List<String> ids =
                gateways.containersOf(clusterId).stream().map(Container::getId).toList();
        long before = lastSeq();
        gateways.stop(APPLIANCE); // the appliance goes down...
        ids.forEach(gateways::stopByHand); // ...and its nodes with it
        gateways.startDocker(TENANT_A, APPLIANCE, state); // the gateway process starts again on its state

        awaitHealth("HEALTHY", Duration.ofSeconds(60), t -> "health".equals(t.get("kind")) && seq(t) > before);
        List<Map<String, Object>> after = Api.tasks(TENANT_A, clusterId).stream()
                .filter(t -> seq(t) > before)
                .toList();
        String lines = String.join("\n", Api.taskLines(TENANT_A, clusterId));
        // DEGRADED while the gateway reported them stopped (both: it reports what it finds before it starts any),
        // HEALTHY once it had started them; no repair was needed
        assertTrue(after.stream().allMatch(t -> "health".equals(t.get("kind"))), lines);
        List<String> messages =
                after.stream().map(t -> (String) t.get("message")).toList();
        assertTrue(messages.get(0).startsWith("HEALTHY → DEGRADED: node "), lines);
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("DEGRADED: 2 nodes down: ")), lines);
        assertTrue(messages.get(messages.size() - 1).startsWith("DEGRADED → HEALTHY"), lines);
        assertEquals(
                ids,
                gateways.containersOf(clusterId).stream().map(Container::getId).toList());
        assertTrue(gateways.containersOf(clusterId).stream().allMatch(c -> "running".equals(c.getState())));
        assertEquals("RUNNING", Api.status(TENANT_A, clusterId));
    }

    @Test
    @Order(4)
    void nodesThatWillNotStartAreReplacedAsTheirPoolsRollingStrategiesSay() {
        Container master = container("masters");
        Container worker = container("workers");
        long before = lastSeq();
        gateways.stopByHand(worker.getId());
        gateways.stopByHand(master.getId());
        gateways.removeNetworkByHand(clusterId); // pruned while they were stopped: they cannot start any more

        awaitHealth("DEGRADED", Duration.ofSeconds(30));
        awaitStatus(TENANT_A, clusterId, "UPDATING", Duration.ofSeconds(60)); // the starts failed: replacing
        // each pool is repaired when its node is due, so RUNNING may come between the two pools' repairs, and the
        // cluster is HEALTHY as soon as the new master runs, before the broken one is removed: wait for the whole
        // repair
        assertTrue(
                Eventually.holds(
                        Duration.ofSeconds(120),
                        Duration.ofMillis(300),
                        () -> "RUNNING".equals(Api.status(TENANT_A, clusterId))
                                && "HEALTHY"
                                        .equals(Api.cluster(TENANT_A, clusterId).getString("health"))
                                && gateways.containersOf(clusterId).size() == 2),
                () -> "not repaired: " + String.join("\n", Api.taskLines(TENANT_A, clusterId)));

        List<Map<String, Object>> after = Api.tasks(TENANT_A, clusterId).stream()
                .filter(t -> seq(t) > before)
                .toList();
        String lines = String.join("\n", Api.taskLines(TENANT_A, clusterId));
        assertEquals(
                2,
                after.stream()
                        .filter(t -> "start-node".equals(t.get("kind")) && "FAILED".equals(t.get("status")))
                        .count(),
                lines);
        String masterNode = master.getLabels().get(NodeNames.NODE);
        String workerNode = worker.getLabels().get(NodeNames.NODE);
        // masters EXPAND_FIRST: the replacement first; workers CONTRACT_FIRST: the broken one first (each pool is
        // repaired when its node is due: the worker was stopped first)
        assertEquals(List.of("create-node", "delete-node"), commandsOf(after, "masters"), lines);
        assertEquals(List.of("delete-node", "create-node"), commandsOf(after, "workers"), lines);
        assertTrue(after.stream()
                .anyMatch(t -> "delete-node".equals(t.get("kind")) && masterNode.equals(t.get("nodeId"))));
        assertTrue(after.stream()
                .anyMatch(t -> "delete-node".equals(t.get("kind")) && workerNode.equals(t.get("nodeId"))));
        List<Container> now = gateways.containersOf(clusterId);
        assertEquals(2, now.size());
        assertTrue(now.stream().allMatch(c -> "running".equals(c.getState())));
        assertTrue(now.stream()
                .noneMatch(c -> c.getId().equals(master.getId()) || c.getId().equals(worker.getId())));
        assertListShowsWhatTheClusterShows();
    }

    @Test
    @Order(5)
    void theNodesComeBackWhenTheDockerEngineItselfRestarts() throws Exception {
        awaitHealth("HEALTHY", Duration.ofSeconds(60));
        List<Container> before = gateways.containersOf(clusterId);
        assertEquals(2, before.size());
        long seq = lastSeq();
        // as after a power cut or an engine upgrade: every container stops with the engine; the restart policy and the
        // gateway's watch (which reconnects) bring them back, or the repair does if the engine took longer than the
        // grace period (4 s here): the cluster is whole again either way, with no node twice
        restartDockerEngine();

        awaitHealth("HEALTHY", Duration.ofSeconds(180), t -> seq(t) > seq && "health".equals(t.get("kind")));
        String lines = String.join("\n", Api.taskLines(TENANT_A, clusterId));
        assertTrue(
                kindsAfter(seq).contains("health"), "the engine's restart was seen (DEGRADED, then HEALTHY): " + lines);
        assertEquals(
                "RUNNING",
                awaitStatus(TENANT_A, clusterId, "RUNNING", Duration.ofSeconds(120))
                        .getString("status"));
        List<Container> after = gateways.containersOf(clusterId);
        assertEquals(2, after.size(), "one container per node, none twice: " + lines);
        assertTrue(after.stream().allMatch(c -> "running".equals(c.getState())), lines);
        assertEquals(2, Api.nodes(TENANT_A, clusterId).size(), lines);
        assertListShowsWhatTheClusterShows();
    }

    // --- helpers

    /**
     * Stops and starts the Docker engine the repository's scripts started (deploy/local/docker.sh: CI and the local
     * stack). An engine started otherwise (a machine's own service) is never touched: the test is skipped then.
     */
    private static void restartDockerEngine() throws Exception {
        Path script =
                Path.of("..", "deploy", "local", "docker.sh").toAbsolutePath().normalize();
        String down = run(script, "down");
        Assumptions.assumeFalse(
                down.contains("no dockerd started by this script"),
                "the Docker engine here was not started by deploy/local/docker.sh; it is not restarted: " + down);
        run(script, "up");
    }

    private static String run(Path script, String what) throws Exception {
        Process p = new ProcessBuilder("bash", script.toString(), what)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), script + " " + what + " did not end: " + out);
        assertEquals(0, p.exitValue(), script + " " + what + ": " + out);
        return out;
    }

    private Container container(String pool) {
        return gateways.containersOf(clusterId).stream()
                .filter(c -> pool.equals(c.getLabels().get(NodeNames.POOL_LABEL)))
                .findFirst()
                .orElseThrow();
    }

    /**
     * The repairs after {@code seq} ended SUCCEEDED: a start-node ends once its node is ready (its health check passed),
     * a moment after the gateway sees it running (HEALTHY). The next test starts with no command under way: a gateway
     * stopped while a node boots leaves that command to its next start, which would start the node itself.
     */
    private void awaitRepairsDone(long seq) {
        assertTrue(
                Eventually.holds(
                        Duration.ofSeconds(60),
                        Duration.ofMillis(200),
                        () -> Api.tasks(TENANT_A, clusterId).stream()
                                .filter(t -> seq(t) > seq && "start-node".equals(t.get("kind")))
                                .allMatch(t -> "SUCCEEDED".equals(t.get("status")))),
                () -> String.join("\n", Api.taskLines(TENANT_A, clusterId)));
    }

    private JsonPath awaitHealth(String health, Duration timeout) {
        return awaitHealth(health, timeout, t -> true);
    }

    /** Waits for the health (and, when given, a task that must have come first); fails with the tasks. */
    private JsonPath awaitHealth(String health, Duration timeout, Predicate<Map<String, Object>> task) {
        boolean reached = Eventually.holds(
                timeout,
                Duration.ofMillis(150),
                () -> health.equals(Api.cluster(TENANT_A, clusterId).getString("health"))
                        && Api.tasks(TENANT_A, clusterId).stream().anyMatch(task));
        JsonPath cluster = Api.cluster(TENANT_A, clusterId);
        assertTrue(
                reached,
                () -> "cluster " + clusterId + " is " + cluster.getString("health") + " ("
                        + cluster.getString("healthReason") + "), not " + health + "; tasks:\n"
                        + String.join("\n", Api.taskLines(TENANT_A, clusterId)));
        return cluster;
    }

    /** The list shows the cluster exactly as the cluster itself does: health, reason, running nodes per pool. */
    private void assertListShowsWhatTheClusterShows() {
        Map<String, Object> single = viewer(TENANT_A)
                .get("/v1/clusters/" + clusterId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("$");
        Map<String, Object> listed = viewer(TENANT_A)
                .get("/v1/clusters?size=200")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("items.find { it.id == '" + clusterId + "' }");
        assertEquals(single, listed);
    }

    private static List<String> commandsOf(List<Map<String, Object>> tasks, String pool) {
        return tasks.stream()
                .filter(t -> "create-node".equals(t.get("kind")) || "delete-node".equals(t.get("kind")))
                .filter(t -> ((String) t.get("nodeId")).startsWith(pool + "-"))
                .map(t -> (String) t.get("kind"))
                .toList();
    }

    private static long runningNodes(JsonPath cluster, String pool) {
        return cluster.getLong("pools.find { it.name == '" + pool + "' }.runningNodes");
    }

    private long lastSeq() {
        return Api.tasks(TENANT_A, clusterId).stream()
                .mapToLong(NodeRecoveryTest::seq)
                .max()
                .orElse(0);
    }

    private static long seq(Map<String, Object> task) {
        return ((Number) task.get("seq")).longValue();
    }

    private List<String> kindsAfter(long seq) {
        return Api.tasks(TENANT_A, clusterId).stream()
                .filter(t -> seq(t) > seq)
                .map(t -> (String) t.get("kind"))
                .toList();
    }
}
