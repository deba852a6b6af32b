package io.edgefleet.gateway.commands;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.metrics.GatewayMetrics;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.reports.ReportOutbox;
import io.edgefleet.gateway.state.LocalStore;
import io.edgefleet.gateway.tracing.GatewayTracing;
import io.edgefleet.testsupport.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repeats of a command (the services send one again when they heard nothing for a while) and one node's commands in
 * its lane: a delete behind its node's create runs after it, never beside it; a repeated delete is answered, not run
 * again; and a repeat is not answered again while a report about the command still waits in the outbox — under a
 * slow link every answer would only lengthen the backlog that made the sender repeat (the abort in
 * cluster-service's ProvisioningResilienceTest got 12 deletes for 5 nodes that way). The outbox is not started here:
 * reports stay in the store, where the test reads them.
 */
class CommandRepeatAnswersTest {

    /** Records node operations in order; creates of {@code blocked} wait until released. */
    static final class OrderDriver implements NodeDriver {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final String blocked;
        final CountDownLatch release = new CountDownLatch(1);

        OrderDriver(String blocked) {
            this.blocked = blocked;
        }

        @Override
        public NodeStatus create(NodeSpec spec, String commandId) {
            calls.add("create " + spec.nodeId());
            if (spec.nodeId().equals(blocked)) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            calls.add("created " + spec.nodeId());
            return status(spec.clusterId(), spec.nodeId(), NodeState.RUNNING, commandId);
        }

        @Override
        public NodeStatus delete(String clusterId, String nodeId) {
            calls.add("delete " + nodeId);
            return status(clusterId, nodeId, NodeState.DELETED, null);
        }

        private static NodeStatus status(String clusterId, String nodeId, NodeState state, String commandId) {
            return new NodeStatus(clusterId, "workers", nodeId, state, "ref", null, commandId, null, Instant.now());
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

    private CommandExecutor executor;

    @AfterEach
    void stop() {
        if (executor != null) {
            executor.close();
        }
    }

    private CommandExecutor executor(LocalStore store, NodeDriver driver) {
        GatewayMetrics metrics = new GatewayMetrics("test", "online");
        ReportOutbox reports = new ReportOutbox(store, null, metrics, "app-1"); // not started
        executor = new CommandExecutor(
                        store, driver, null, reports, s -> s, metrics, "app-1", GatewayTracing.of(null, "app-1"), 4)
                .start();
        return executor;
    }

    private static CloudEvent delete(String commandId, String nodeId) {
        return new CloudEvent(
                UUID.randomUUID().toString(),
                "/test",
                EventTypes.DELETE_NODE,
                "app-1",
                "tenant-a",
                Instant.now(),
                EventJson.write(new NodeCommand(commandId, "c1", nodeId, null)));
    }

    /** The reports went out (the broker acknowledged them): they leave the outbox. */
    private static void sendAll(LocalStore store) {
        store.pendingReports(1_000).forEach(r -> store.reportSent(r.seq()));
    }

    private static List<LocalStore.PendingReport> aboutCommand(LocalStore store, String commandId) {
        return store.pendingReports(1_000).stream()
                .filter(r -> r.payload().contains("\"" + commandId + "\""))
                .toList();
    }

    private static void awaitDone(LocalStore store, String commandId) {
        Eventually.holds(
                Duration.ofSeconds(10),
                Duration.ofMillis(20),
                () -> store.command(commandId)
                        .map(c -> c.state() == LocalStore.CommandState.DONE)
                        .orElse(false));
    }

    @Test
    void aRepeatIsAnsweredOnlyWhenNoReportAboutTheCommandWaits(@TempDir Path state) {
        LocalStore store = new LocalStore(state);
        CommandExecutor executor = executor(store, new OrderDriver(null));
        CloudEvent create = CommandExecutorStopTest.create("n1");
        String commandId = EventJson.read(create.data(), NodeCommand.class).commandId();
        executor.accept(create);
        awaitDone(store, commandId);
        int waiting = aboutCommand(store, commandId).size(); // accepted, started, the result
        assertTrue(waiting >= 2, "the progress and the result wait: " + waiting);

        for (int i = 0; i < 5; i++) {
            executor.accept(create); // repeats while its reports have not gone out: the result will answer them
        }
        assertEquals(waiting, aboutCommand(store, commandId).size(), "no answer queued behind the waiting result");

        sendAll(store);
        executor.accept(create);
        executor.accept(create);
        List<LocalStore.PendingReport> answers = aboutCommand(store, commandId);
        assertEquals(1, answers.size(), "once nothing waits, a repeat is answered, once");
        assertEquals(EventTypes.COMMAND_COMPLETED, answers.get(0).type());
        assertEquals(
                store.command(commandId).orElseThrow().result(), answers.get(0).payload(), "with the result");
    }

    @Test
    void aRepeatOfAQueuedCommandIsAnsweredWithProgressOnlyWhenNothingAboutItWaits(@TempDir Path state) {
        LocalStore store = new LocalStore(state);
        OrderDriver driver = new OrderDriver("n1");
        CommandExecutor executor = executor(store, driver);
        executor.accept(CommandExecutorStopTest.create("n1"));
        CloudEvent delete = delete("delete-n1", "n1"); // queued in n1's lane behind the create
        executor.accept(delete);
        assertEquals(1, aboutCommand(store, "delete-n1").size(), "accepted");
        executor.accept(delete);
        assertEquals(1, aboutCommand(store, "delete-n1").size(), "the waiting 'accepted' answers the repeat");

        sendAll(store);
        executor.accept(delete);
        executor.accept(delete);
        List<LocalStore.PendingReport> answers = aboutCommand(store, "delete-n1");
        assertEquals(1, answers.size());
        assertTrue(
                answers.get(0).payload().contains("still queued on the gateway"),
                answers.get(0).payload());
        driver.release.countDown();
        awaitDone(store, "delete-n1");
    }

    @Test
    void aDeleteBehindItsCreateRunsAfterItAndARepeatedDeleteDoesNotRunAgain(@TempDir Path state) {
        LocalStore store = new LocalStore(state);
        OrderDriver driver = new OrderDriver("n1");
        CommandExecutor executor = executor(store, driver);
        CloudEvent createN1 = CommandExecutorStopTest.create("n1");
        executor.accept(createN1);
        CloudEvent deleteN1 = delete("delete-n1", "n1");
        executor.accept(deleteN1);
        CloudEvent createN2 = CommandExecutorStopTest.create("n2");
        executor.accept(createN2);

        // n2 has a lane of its own: it is created while n1's create still runs; n1's delete waits for its create
        awaitDone(store, EventJson.read(createN2.data(), NodeCommand.class).commandId());
        assertTrue(driver.calls.contains("create n1"));
        assertFalse(driver.calls.contains("delete n1"), "the delete waits behind its node's create: " + driver.calls);

        driver.release.countDown();
        awaitDone(store, "delete-n1");
        List<String> n1 = driver.calls.stream().filter(c -> c.endsWith(" n1")).toList();
        assertEquals(List.of("create n1", "created n1", "delete n1"), n1, "one node's commands in order");

        sendAll(store);
        executor.accept(deleteN1); // the sender heard nothing (its result was lost with the broker): it repeats
        executor.accept(deleteN1);
        assertEquals(1, driver.calls.stream().filter("delete n1"::equals).count(), "the repeat is not run again");
        List<LocalStore.PendingReport> answers = aboutCommand(store, "delete-n1");
        assertEquals(1, answers.size());
        assertEquals(EventTypes.COMMAND_COMPLETED, answers.get(0).type(), "answered with the recorded result");
    }
}
