package io.edgefleet.gateway.nodes.docker;

import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.NodeDriverException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A containerized node is ready (RUNNING for its command) only once its health check passes (Docker reports it healthy,
 * or the gateway's own run of it in the node passed); one whose check never passes fails after the ready timeout, naming the check's output and the container log's tail. Real engine
 * and node image (deploy/ci/docker-up.sh).
 */
class DockerNodeReadinessTest {

    private static DockerEngine engine;

    private final String tenant = "test-" + UUID.randomUUID().toString().substring(0, 8);
    private DockerNodeDriver driver;

    @BeforeAll
    static void requireEngine() {
        engine = DockerEngine.require();
    }

    @AfterEach
    void cleanUp() {
        if (driver != null) {
            driver.close();
        }
        engine.cleanup(tenant, List.of());
    }

    private DockerNodeDriver driver(List<String> check, Duration readyTimeout) {
        driver = new DockerNodeDriver(
                DockerEngine.HOST,
                tenant,
                NodeImages.online(),
                new NodeHealth(check, Duration.ofSeconds(1), readyTimeout));
        return driver;
    }

    private static NodeSpec spec(String cluster, String node) {
        return new NodeSpec(
                cluster,
                "pool-a",
                node,
                NodeRole.WORKER,
                null,
                new NodeSpec.Resources(1, 64, 10, "0"),
                DockerEngine.NODE_IMAGE,
                null,
                List.of(),
                Map.of(),
                List.of(),
                Map.of());
    }

    @Test
    void aNodeIsReadyOnlyOnceItsHealthCheckPasses() throws Exception {
        // the check passes once /tmp/ready exists: the test decides when the node is "booted"
        DockerNodeDriver d = driver(
                List.of("CMD-SHELL", "test -e /tmp/ready || { echo waiting for init; exit 1; }"),
                Duration.ofMinutes(2));
        String cluster = "c" + UUID.randomUUID().toString().substring(0, 8);
        NodeStatus started = d.create(spec(cluster, "w1"), "cmd-1");
        assertEquals(NodeState.RUNNING, started.state());

        List<String> progress = new CopyOnWriteArrayList<>();
        CompletableFuture<NodeStatus> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return d.awaitReady(started, progress::add);
            } catch (NodeDriverException e) {
                throw new IllegalStateException(e);
            }
        });
        // not ready while the check fails: the wait goes on, and its progress (every 10 s) says why
        Awaitility.await()
                .atMost(Duration.ofSeconds(40))
                .until(() ->
                        progress.stream().anyMatch(p -> p.startsWith("booting: ") && p.contains("waiting for init")));
        assertFalse(ready.isDone(), () -> "ready before its check passed: " + ready.join());
        assertEquals(
                "starting",
                engine.container(started.ref()).getState().getHealth().getStatus());

        engine.exec(started.ref(), "touch", "/tmp/ready");
        NodeStatus readyStatus = ready.get(60, TimeUnit.SECONDS);
        assertEquals(NodeState.RUNNING, readyStatus.state());
        assertEquals("ready: the node's health check passed", readyStatus.message());
        assertNotNull(readyStatus.ip());
        // the gateway may have seen the check pass before the engine's next run of it (every second here)
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> "healthy"
                        .equals(engine.container(started.ref())
                                .getState()
                                .getHealth()
                                .getStatus()));

        // what is known lives in the engine: a new driver (a restarted gateway) finds the node ready at once
        d.close();
        DockerNodeDriver again = driver(List.of("CMD-SHELL", "exit 1"), Duration.ofSeconds(5));
        NodeStatus adopted = again.create(spec(cluster, "w1"), "cmd-1");
        assertEquals(started.ref(), adopted.ref());
        assertEquals(
                "ready: the node's health check passed",
                again.awaitReady(adopted, p -> {}).message());
    }

    @Test
    void aNodeIsReadyAsSoonAsItsCheckPassesNotAtTheEnginesFirstRunOfIt() throws Exception {
        // the engine (API 1.41: no start interval) would run this node's check first a minute after the start
        driver = new DockerNodeDriver(
                DockerEngine.HOST,
                tenant,
                NodeImages.online(),
                new NodeHealth(NodeHealth.NODE_IMAGE_CHECK, Duration.ofMinutes(1), Duration.ofMinutes(2)));
        String cluster = "c" + UUID.randomUUID().toString().substring(0, 8);
        NodeStatus started = driver.create(spec(cluster, "w1"), "cmd-1");

        NodeStatus ready = driver.awaitReady(started, p -> {});

        assertEquals(NodeState.RUNNING, ready.state());
        assertEquals("ready: the node's health check passed", ready.message());
        var health = engine.container(started.ref()).getState().getHealth();
        assertEquals("starting", health.getStatus(), "the gateway ran the check, not the engine");
        assertTrue(health.getLog() == null || health.getLog().isEmpty(), () -> "engine checks: " + health.getLog());
        assertNotNull(ready.ip());
    }

    @Test
    void aNodeWhoseCheckNeverPassesFailsAfterTheTimeoutWithTheReasonAndTheLogTail() throws Exception {
        DockerNodeDriver d =
                driver(List.of("CMD-SHELL", "echo kubelet is not answering >&2; exit 1"), Duration.ofSeconds(8));
        String cluster = "c" + UUID.randomUUID().toString().substring(0, 8);
        NodeStatus started = d.create(spec(cluster, "w1"), "cmd-1");
        assertEquals(NodeState.RUNNING, started.state());

        long t0 = System.nanoTime();
        NodeDriverException e = assertThrows(NodeDriverException.class, () -> d.awaitReady(started, p -> {}));
        long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertTrue(waited >= 7 && waited < 60, "waited " + waited + " s");
        String m = e.getMessage();
        assertTrue(m.contains("is not ready after 8 s"), m);
        assertTrue(
                m.contains(
                        "the node's health check has not passed yet (last check exited 1: kubelet is not answering)"),
                m);
        // the node image's init writes its sysinit line and heartbeats to the log
        assertTrue(m.contains("the container log's last lines:") && m.contains("rcS: sysinit"), m);
    }

    @Test
    void withTheCheckSetToNoneANodeIsReadyOnceItRuns() throws Exception {
        // docker.ready-check=none, for a node image with no way to tell more: no health check on the container
        driver = new DockerNodeDriver(DockerEngine.HOST, tenant, NodeImages.online(), NodeHealth.forSetting("none"));
        String cluster = "c" + UUID.randomUUID().toString().substring(0, 8);
        NodeStatus started = driver.create(spec(cluster, "w1"), "cmd-1");
        NodeStatus ready = driver.awaitReady(started, p -> {});
        assertEquals(NodeState.RUNNING, ready.state());
        assertTrue(ready.message().contains("no health check"), ready.message());
    }

    @Test
    void aNodeThatStopsWhileBootingFailsAtOnce() throws Exception {
        DockerNodeDriver d = driver(List.of("CMD-SHELL", "exit 1"), Duration.ofMinutes(2));
        String cluster = "c" + UUID.randomUUID().toString().substring(0, 8);
        NodeStatus started = d.create(spec(cluster, "w1"), "cmd-1");
        CompletableFuture<String> failure = CompletableFuture.supplyAsync(() -> {
            try {
                d.awaitReady(started, p -> {});
                return "ready";
            } catch (NodeDriverException e) {
                return e.getMessage();
            }
        });
        d.stop(cluster, "w1");
        String m = failure.get(60, TimeUnit.SECONDS);
        assertTrue(m.contains("(it stopped while booting): the container is not running (exited)"), m);
    }
}
