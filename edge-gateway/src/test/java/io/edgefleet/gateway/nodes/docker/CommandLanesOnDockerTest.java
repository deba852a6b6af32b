package io.edgefleet.gateway.nodes.docker;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.commands.CommandExecutor;
import io.edgefleet.gateway.metrics.GatewayMetrics;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.reports.ReportOutbox;
import io.edgefleet.gateway.state.LocalStore;
import io.edgefleet.gateway.tracing.GatewayTracing;
import io.edgefleet.testsupport.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's command lanes on the real Docker engine: creates of different nodes run side by side (a node's wait
 * for {@code healthy} no longer holds the others), never more than the bound, and one node's create and delete keep
 * their order. The executor runs the real {@link DockerNodeDriver}; the test only times its calls.
 */
class CommandLanesOnDockerTest {

    private static DockerEngine engine;

    private final String tenant = "test-" + UUID.randomUUID().toString().substring(0, 8);
    private final String cluster = "c" + UUID.randomUUID().toString().substring(0, 8);
    private TimedDriver driver;
    private LocalStore store;
    private CommandExecutor executor;

    @BeforeAll
    static void requireEngine() {
        engine = DockerEngine.require();
    }

    @BeforeEach
    void open(@TempDir Path state) {
        driver = new TimedDriver(new DockerNodeDriver(DockerEngine.HOST, tenant));
        store = new LocalStore(state);
    }

    @AfterEach
    void cleanUp() {
        if (executor != null) {
            executor.close();
        }
        driver.close();
        store.close();
        engine.cleanup(tenant, List.of());
    }

    private CommandExecutor executor(int maxRunning) {
        GatewayMetrics metrics = new GatewayMetrics("test", "online");
        ReportOutbox reports = new ReportOutbox(store, null, metrics, "app-1"); // not started: reports stay stored
        executor = new CommandExecutor(
                        store,
                        driver,
                        null,
                        reports,
                        s -> s,
                        metrics,
                        "app-1",
                        GatewayTracing.of(null, "app-1"),
                        maxRunning)
                .start();
        return executor;
    }

    @Test
    void differentNodesCreateSideBySideWithinTheBound() {
        CommandExecutor executor = executor(2);
        List<String> ids = List.of("n1", "n2", "n3").stream()
                .map(n -> send(executor, EventTypes.CREATE_NODE, n))
                .toList();
        ids.forEach(this::awaitSucceeded);
        assertEquals(2, driver.mostAtOnce.get(), "two creates overlapped, never three (the bound)");
        TimedDriver.Span n1 = driver.spans.get("create n1");
        TimedDriver.Span n2 = driver.spans.get("create n2");
        assertTrue(n2.start < n1.end && n1.start < n2.end, "n2's create began before n1 was ready: " + n1 + " / " + n2);
        List.of("n1", "n2", "n3")
                .forEach(n -> assertEquals(
                        Boolean.TRUE,
                        engine.container(NodeNamesOf.name(cluster, n))
                                .getState()
                                .getRunning()));
    }

    @Test
    void oneNodesDeleteNeverOvertakesItsCreate() {
        CommandExecutor executor = executor(4);
        String create = send(executor, EventTypes.CREATE_NODE, "n1");
        String delete = send(executor, EventTypes.DELETE_NODE, "n1");
        String other = send(executor, EventTypes.CREATE_NODE, "n2");
        awaitSucceeded(create);
        awaitSucceeded(delete);
        awaitSucceeded(other);
        TimedDriver.Span created = driver.spans.get("create n1");
        TimedDriver.Span deleted = driver.spans.get("delete n1");
        assertTrue(deleted.start >= created.end, "the delete ran after the create ended: " + created + " / " + deleted);
        assertTrue(
                driver.spans.get("create n2").start < created.end,
                "meanwhile another node's create did not wait for n1");
        assertNull(engine.container(NodeNamesOf.name(cluster, "n1")), "the node is gone: its delete came last");
    }

    private String send(CommandExecutor executor, String type, String nodeId) {
        String commandId = UUID.randomUUID().toString();
        NodeSpec spec = type.equals(EventTypes.CREATE_NODE)
                ? new NodeSpec(
                        cluster,
                        "workers",
                        nodeId,
                        NodeRole.WORKER,
                        nodeId,
                        new NodeSpec.Resources(1, 64, 0, null),
                        DockerEngine.NODE_IMAGE,
                        null,
                        List.of(),
                        Map.of(),
                        List.of(),
                        Map.of())
                : null;
        executor.accept(new CloudEvent(
                UUID.randomUUID().toString(),
                "/test",
                type,
                "app-1",
                tenant,
                Instant.now(),
                EventJson.write(new NodeCommand(commandId, cluster, nodeId, spec))));
        return commandId;
    }

    private void awaitSucceeded(String commandId) {
        assertTrue(
                Eventually.holds(
                        Duration.ofMinutes(2),
                        Duration.ofMillis(100),
                        () -> store.command(commandId)
                                .filter(c -> c.state() == LocalStore.CommandState.DONE)
                                .isPresent()),
                "command " + commandId + " ended");
        CommandResult result = EventJson.read(
                store.command(commandId).orElseThrow().result().getBytes(StandardCharsets.UTF_8), CommandResult.class);
        assertEquals(CommandResult.Outcome.SUCCEEDED, result.outcome(), result.message());
    }

    /** The node names the driver gives containers. */
    private static final class NodeNamesOf {
        static String name(String cluster, String node) {
            return io.edgefleet.gateway.nodes.NodeNames.nodeName(cluster, node);
        }
    }

    /**
     * Passes every call to the real driver and notes when each node operation ran: a create from its call until its
     * node is ready, a delete around its call; and how many ran at once at most.
     */
    static final class TimedDriver implements NodeDriver {

        record Span(long start, long end) {}

        final NodeDriver real;
        final Map<String, Span> spans = new ConcurrentHashMap<>();
        final Map<String, Long> started = new ConcurrentHashMap<>();
        final AtomicInteger atOnce = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        TimedDriver(NodeDriver real) {
            this.real = real;
        }

        private void begin(String what) {
            started.put(what, System.nanoTime());
            mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
        }

        private void end(String what) {
            atOnce.decrementAndGet();
            spans.put(what, new Span(started.get(what), System.nanoTime()));
        }

        @Override
        public NodeStatus create(NodeSpec spec, String commandId) throws NodeDriverException {
            begin("create " + spec.nodeId());
            try {
                return real.create(spec, commandId);
            } catch (NodeDriverException | RuntimeException e) {
                end("create " + spec.nodeId());
                throw e;
            }
        }

        @Override
        public NodeStatus awaitReady(NodeStatus node, Consumer<String> progress) throws NodeDriverException {
            try {
                return real.awaitReady(node, progress);
            } finally {
                end("create " + node.nodeId());
            }
        }

        @Override
        public NodeStatus delete(String clusterId, String nodeId) throws NodeDriverException {
            begin("delete " + nodeId);
            try {
                return real.delete(clusterId, nodeId);
            } finally {
                end("delete " + nodeId);
            }
        }

        @Override
        public NodeStatus start(String clusterId, String nodeId) throws NodeDriverException {
            return real.start(clusterId, nodeId);
        }

        @Override
        public NodeStatus stop(String clusterId, String nodeId) throws NodeDriverException {
            return real.stop(clusterId, nodeId);
        }

        @Override
        public Optional<NodeStatus> inspect(String clusterId, String nodeId) throws NodeDriverException {
            return real.inspect(clusterId, nodeId);
        }

        @Override
        public List<NodeStatus> list() throws NodeDriverException {
            return real.list();
        }

        @Override
        public void cleanupCluster(String clusterId) throws NodeDriverException {
            real.cleanupCluster(clusterId);
        }

        @Override
        public void watch(Consumer<NodeStatus> listener) {
            real.watch(listener);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
