package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import io.edgefleet.testsupport.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker is killed (SIGKILL) while the gateway works, and started again: the gateway finishes what it was told,
 * keeps its reports in its local outbox, reconnects by itself, and sends every one of them, in order, when the
 * broker is back.
 */
class BrokerOutageTest {

    @TempDir
    Path home;

    @Test
    void noReportIsLostWhileTheBrokerIsAway() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String uid = "outage-gw-" + suffix;
        String cluster = "outage-" + suffix;
        List<String> commandIds = IntStream.range(0, 4)
                .mapToObj(i -> "create-" + cluster + "-" + i)
                .toList();
        try (ManagementPlane plane = ManagementPlane.start(home.resolve("plane"));
                DockerClient docker = DockerClients.connect()) {
            TestBridge bridge = plane.bridge;
            var settings = plane.gateway(uid, home.resolve("state"))
                    .withNodeSettings("127.0.0.1", false, "offline", null, null)
                    .withHeartbeatInterval(Duration.ofSeconds(1));
            try (var gateway = new EdgeGateway(
                            settings,
                            InventoryProbe.ofThisMachine(),
                            new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT))
                    .start()) {
                bridge.await(r -> r.type().equals(EventTypes.GATEWAY_REGISTERED), 1, Duration.ofSeconds(60));
                for (int i = 0; i < commandIds.size(); i++) {
                    bridge.command(
                            TENANT,
                            uid,
                            EventTypes.CREATE_NODE,
                            new NodeCommand(commandIds.get(i), cluster, "n" + i, node(cluster, "n" + i)));
                }
                // once every command is taken, the broker dies — having saved its state a moment before, as its
                // autosave
                // does every 30 s (so the sessions and subscriptions of gateway and bridge survive)
                bridge.await(r -> isProgress(r, "accepted"), commandIds.size(), Duration.ofSeconds(60));
                save(plane.broker);
                plane.broker.kill();
                try {
                    assertTrue(
                            GatewayHarness.eventually(
                                    Duration.ofSeconds(90),
                                    () -> DockerClients.nodesOf(docker, cluster).size() == commandIds.size()),
                            "the gateway kept working offline");
                    // a node dies while the link is down: that observation must not be lost either
                    String n0 = DockerClients.nodesOf(docker, cluster).stream()
                            .filter(c -> "n0".equals(c.getLabels().get(NodeNames.NODE)))
                            .findFirst()
                            .orElseThrow()
                            .getId();
                    // with lanes the four are made side by side: n0's container may exist before it was started
                    assertTrue(
                            GatewayHarness.eventually(
                                    Duration.ofSeconds(60),
                                    () -> Boolean.TRUE.equals(docker.inspectContainerCmd(n0)
                                            .exec()
                                            .getState()
                                            .getRunning())),
                            "n0 runs");
                    docker.killContainerCmd(n0).exec();
                    assertTrue(
                            GatewayHarness.eventually(Duration.ofSeconds(60), () -> gateway.reportFailure() != null),
                            "the gateway noticed the broker is away");
                    assertTrue(
                            GatewayHarness.eventually(Duration.ofSeconds(60), () -> !gateway.connected()),
                            "the link is down");
                    assertTrue(gateway.pendingReports() > 0, "reports wait locally");
                } finally {
                    plane.broker.restart();
                }

                GatewayHarness.eventually(
                        Duration.ofSeconds(120), () -> completedIds(bridge).containsAll(commandIds));
                List<CommandResult> results = completed(bridge);
                assertEquals(
                        Set.copyOf(commandIds),
                        results.stream().map(CommandResult::commandId).collect(Collectors.toSet()),
                        "every result");
                assertEquals(commandIds.size(), results.size(), "each once");
                // the nodes' lanes run side by side, so they may end in any order: the results come in the one
                // they ended in (the outbox's)
                assertEquals(
                        results.stream()
                                .sorted(Comparator.comparing(CommandResult::finishedAt))
                                .toList(),
                        results,
                        "every result, in the order the commands ended");
                var died = bridge.await(
                        r -> r.type().equals(EventTypes.NODE_OBSERVED)
                                && "n0".equals(r.data(NodeStatus.class).nodeId())
                                && r.data(NodeStatus.class).state() != NodeState.RUNNING,
                        1,
                        Duration.ofSeconds(60));
                assertFalse(
                        died.isEmpty(), "the node's death was reported after the outage"); // Docker emits kill and die
                // delivery is at least once: a report cut off by the kill is sent again (same event id), a command
                // whose
                // acknowledgement the broker lost comes again and is answered with progress or its recorded result.
                // Per command, the first report of each step comes in this order: accepted, started, completed
                for (String commandId : commandIds) {
                    List<String> steps = new ArrayList<>();
                    for (TestBridge.Received r : bridge.matching(r -> commandId.equals(commandIdOf(r)))) {
                        String step = r.type().equals(EventTypes.COMMAND_COMPLETED)
                                ? "completed"
                                : r.data(CommandProgress.class).step();
                        if (!steps.contains(step)) {
                            steps.add(step);
                        }
                    }
                    // answers to a redelivery; and a create's node passing its readiness check
                    steps.removeIf(step -> step.equals("running") || step.equals("queued") || step.equals("booting"));
                    assertEquals(List.of("accepted", "started", "completed"), steps, commandId);
                }
                assertTrue(
                        GatewayHarness.eventually(Duration.ofSeconds(30), () -> gateway.pendingReports() == 0),
                        "the outbox is empty: " + gateway.pendingReports());
                int heartbeats = bridge.matching(r -> r.type().equals(EventTypes.GATEWAY_HEARTBEAT))
                        .size();
                assertTrue(
                        bridge.await(
                                                r -> r.type().equals(EventTypes.GATEWAY_HEARTBEAT),
                                                heartbeats + 1,
                                                Duration.ofSeconds(30))
                                        .size()
                                > heartbeats,
                        "heartbeats go on");
            } finally {
                DockerClients.removeCluster(docker, cluster);
            }
        }
    }

    /** SIGUSR1: Mosquitto writes its persistence file now; waits until it has. */
    static void save(MosquittoBroker broker) throws Exception {
        Path db = broker.home().resolve("data").resolve("mosquitto.db");
        FileTime before = Files.exists(db) ? Files.getLastModifiedTime(db) : FileTime.fromMillis(0);
        Process signal = new ProcessBuilder("kill", "-USR1", Long.toString(broker.pid()))
                .inheritIO()
                .start();
        assertEquals(0, signal.waitFor());
        assertTrue(
                GatewayHarness.eventually(Duration.ofSeconds(20), () -> {
                    try {
                        return Files.exists(db) && Files.getLastModifiedTime(db).compareTo(before) > 0;
                    } catch (IOException e) {
                        return false;
                    }
                }),
                "Mosquitto saved its state to " + db);
        // deliberate: the file is written in place and its modification time changes first; nothing says when it is
        // done
        TestBridge.sleep(500);
    }

    /** The results as they came, each command's first one (a redelivery may bring a result twice). */
    private static List<CommandResult> completed(TestBridge bridge) {
        Set<String> seen = new HashSet<>();
        return bridge.matching(r -> r.type().equals(EventTypes.COMMAND_COMPLETED)).stream()
                .map(r -> r.data(CommandResult.class))
                .filter(r -> seen.add(r.commandId()))
                .toList();
    }

    private static List<String> completedIds(TestBridge bridge) {
        Set<String> seen = new HashSet<>();
        return bridge.matching(r -> r.type().equals(EventTypes.COMMAND_COMPLETED)).stream()
                .map(r -> r.data(CommandResult.class).commandId())
                .filter(seen::add)
                .toList();
    }

    private static boolean isProgress(TestBridge.Received r, String step) {
        return r.type().equals(EventTypes.COMMAND_PROGRESS)
                && step.equals(r.data(CommandProgress.class).step());
    }

    private static String commandIdOf(TestBridge.Received r) {
        return switch (r.type()) {
            case EventTypes.COMMAND_PROGRESS -> r.data(CommandProgress.class).commandId();
            case EventTypes.COMMAND_COMPLETED -> r.data(CommandResult.class).commandId();
            default -> null;
        };
    }
}
