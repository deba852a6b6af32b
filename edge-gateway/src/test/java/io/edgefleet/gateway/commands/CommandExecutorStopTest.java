package io.edgefleet.gateway.commands;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.metrics.GatewayMetrics;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.reports.ReportOutbox;
import io.edgefleet.gateway.state.LocalStore;
import io.edgefleet.gateway.tracing.GatewayTracing;
import io.edgefleet.testsupport.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping the gateway: the node operation under way finishes, queued commands do not start; they stay recorded
 * and run, once, on the next start. (The node driver here records calls: what is tested is the executor.)
 */
class CommandExecutorStopTest {

    /** Records creates; the first one waits until released, so the test can stop the executor mid-operation. */
    static class RecordingDriver implements NodeDriver {
        final List<String> created = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release;

        RecordingDriver(boolean blockFirst) {
            release = new CountDownLatch(blockFirst ? 1 : 0);
        }

        @Override
        public NodeStatus create(NodeSpec spec, String commandId) {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            created.add(spec.nodeId());
            return new NodeStatus(
                    spec.clusterId(),
                    spec.poolName(),
                    spec.nodeId(),
                    NodeState.RUNNING,
                    "ref",
                    null,
                    commandId,
                    null,
                    Instant.now());
        }

        @Override
        public NodeStatus start(String clusterId, String nodeId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public NodeStatus stop(String clusterId, String nodeId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public NodeStatus delete(String clusterId, String nodeId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<NodeStatus> inspect(String clusterId, String nodeId) {
            return Optional.empty();
        }

        @Override
        public List<NodeStatus> list() {
            return List.of();
        }

        @Override
        public void cleanupCluster(String clusterId) {}

        @Override
        public void watch(Consumer<NodeStatus> listener) {}

        @Override
        public void close() {}
    }

    static CloudEvent create(String nodeId) {
        NodeSpec spec = new NodeSpec(
                "c1",
                "workers",
                nodeId,
                NodeRole.WORKER,
                nodeId,
                new NodeSpec.Resources(1, 64, 0, null),
                "edgefleet/node:latest",
                null,
                List.of(),
                Map.of(),
                List.of(),
                Map.of());
        return new CloudEvent(
                UUID.randomUUID().toString(),
                "/test",
                EventTypes.CREATE_NODE,
                "app-1",
                "tenant-a",
                Instant.now(),
                EventJson.write(new NodeCommand(UUID.randomUUID().toString(), "c1", nodeId, spec)));
    }

    @Test
    void queuedCommandsWaitForTheNextStartAndRunOnce(@TempDir Path state) throws Exception {
        LocalStore store = new LocalStore(state);
        ReportOutbox reports = new ReportOutbox(
                store, null, new GatewayMetrics("test", "online"), "app-1"); // not started: reports stay in the store
        RecordingDriver first = new RecordingDriver(true);
        CommandExecutor executor = new CommandExecutor(
                        store,
                        first,
                        null,
                        reports,
                        s -> s,
                        new GatewayMetrics("test", "online"),
                        "app-1",
                        GatewayTracing.of(null, "app-1"),
                        1) // one command at a time: n2 waits in the queue (with lanes it would run beside n1)
                .start();
        executor.accept(create("n1"));
        executor.accept(create("n2"));
        assertTrue(first.entered.await(10, TimeUnit.SECONDS), "the first create is under way");
        Thread stopping = new Thread(executor::close);
        stopping.start();
        Eventually.stays(
                "the stop waits for the operation under way",
                Duration.ofMillis(200),
                Duration.ofMillis(20),
                stopping::isAlive);
        first.release.countDown();
        stopping.join(10_000);
        assertEquals(List.of("n1"), first.created, "the queued create did not start");
        assertEquals(1, store.unfinishedCommands().size(), "it stays recorded");

        RecordingDriver second = new RecordingDriver(false);
        CommandExecutor restarted = new CommandExecutor(
                        store,
                        second,
                        null,
                        reports,
                        s -> s,
                        new GatewayMetrics("test", "online"),
                        "app-1",
                        GatewayTracing.of(null, "app-1"))
                .start();
        Eventually.holds(
                Duration.ofSeconds(10),
                Duration.ofMillis(50),
                () -> store.unfinishedCommands().isEmpty());
        restarted.close();
        assertEquals(List.of("n2"), second.created, "it ran on the next start, once");
        assertTrue(store.unfinishedCommands().isEmpty());
    }

    /** Creates at once; the wait for readiness lasts until interrupted (a VM that takes minutes to boot). */
    static final class SlowBootDriver extends RecordingDriver {
        final CountDownLatch booting;

        SlowBootDriver(int nodes) {
            super(false);
            booting = new CountDownLatch(nodes);
        }

        @Override
        public NodeStatus awaitReady(NodeStatus started, Consumer<String> progress) throws NodeDriverException {
            booting.countDown();
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeDriverException("waiting for node " + started.nodeId() + " to be ready was interrupted");
            }
            return started;
        }
    }

    @Test
    void aStopDoesNotWaitForNodesToBootTheirCreatesResumeOnTheNextStart(@TempDir Path state) throws Exception {
        LocalStore store = new LocalStore(state);
        ReportOutbox reports = new ReportOutbox(store, null, new GatewayMetrics("test", "online"), "app-1");
        SlowBootDriver slow = new SlowBootDriver(2);
        CommandExecutor executor = new CommandExecutor(
                        store,
                        slow,
                        null,
                        reports,
                        s -> s,
                        new GatewayMetrics("test", "online"),
                        "app-1",
                        GatewayTracing.of(null, "app-1"))
                .start();
        executor.accept(create("n1"));
        executor.accept(create("n2")); // its own lane: both boot side by side
        assertTrue(slow.booting.await(10, TimeUnit.SECONDS), "both nodes are booting");
        long before = System.nanoTime();
        executor.close();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertTrue(tookMs < 10_000, "the stop did not wait for the boots: " + tookMs + " ms");
        assertEquals(2, store.unfinishedCommands().size(), "both creates stay recorded, unfinished");
        assertTrue(
                store.pendingReports(100).stream().noneMatch(r -> r.type().equals(EventTypes.COMMAND_COMPLETED)),
                "no result: neither failed nor succeeded");

        RecordingDriver ready = new RecordingDriver(false); // the nodes are made: boots end at once
        CommandExecutor restarted = new CommandExecutor(
                        store,
                        ready,
                        null,
                        reports,
                        s -> s,
                        new GatewayMetrics("test", "online"),
                        "app-1",
                        GatewayTracing.of(null, "app-1"))
                .start();
        Eventually.holds(
                Duration.ofSeconds(10),
                Duration.ofMillis(50),
                () -> store.unfinishedCommands().isEmpty());
        restarted.close();
        assertEquals(List.of("n1", "n2"), ready.created.stream().sorted().toList(), "each resumed once");
        assertEquals(
                2,
                store.pendingReports(100).stream()
                        .filter(r -> r.type().equals(EventTypes.COMMAND_COMPLETED))
                        .filter(r -> r.payload().contains("SUCCEEDED"))
                        .count(),
                "both ended, succeeded, once");
    }
}
