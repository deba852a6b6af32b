package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On start the gateway reports the nodes that really exist, as they are, starts again those that are down but should
 * run (as after a reboot: stopped, or killed), leaves alone what the management plane stopped, and removes nothing.
 */
class ReconcileTest {

    @TempDir
    Path home;

    @Test
    void aStartingGatewayReportsWhatItFindsStartsWhatShouldRunAndRemovesNothing() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String cluster = "reconcile-" + suffix;
        String foreign = "not-ours-" + suffix;
        String uid = "reconcile-gw-" + suffix;
        Path state = home.resolve("state");
        try (ManagementPlane plane = ManagementPlane.start(home.resolve("plane"));
                DockerClient docker = DockerClients.connect();
                DockerNodeDriver other = new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT)) {
            try {
                // n0: a node of this tenant that this gateway never made (another gateway's on a shared engine),
                // stopped
                other.create(node(cluster, "n0"), "cmd-0");
                other.stop(cluster, "n0");
                docker.createContainerCmd("edgefleet/node:latest")
                        .withName(foreign)
                        .exec(); // and a container that is not ours at all
                try (var gateway = start(plane, uid, state)) {
                    for (String n : List.of("n1", "n2", "n3")) {
                        run(
                                plane,
                                uid,
                                EventTypes.CREATE_NODE,
                                new NodeCommand("create-" + n + "-" + suffix, cluster, n, node(cluster, n)));
                    }
                    // the management plane stops n1: the gateway remembers that it should not run
                    run(plane, uid, EventTypes.STOP_NODE, new NodeCommand("stop-n1-" + suffix, cluster, "n1", null));
                }
                assertEquals(
                        "unless-stopped",
                        docker.inspectContainerCmd(NodeNames.nodeName(cluster, "n2"))
                                .exec()
                                .getHostConfig()
                                .getRestartPolicy()
                                .getName(),
                        "a started node comes back with the engine");
                // while the gateway is away (as in a reboot or engine restart): n2 stopped, n3 killed behind its back
                docker.stopContainerCmd(NodeNames.nodeName(cluster, "n2"))
                        .withTimeout(10)
                        .exec();
                docker.killContainerCmd(NodeNames.nodeName(cluster, "n3")).exec();
                int before = plane.bridge.matching(observedOf(cluster)).size();

                try (var gateway = start(plane, uid, state)) {
                    // reported as found (n0..n3), then n2 and n3 again once started
                    var observed = plane.bridge.await(
                            r -> observedOf(cluster).test(r) && startedAgain(r.data(NodeStatus.class)),
                            2,
                            Duration.ofSeconds(60));
                    assertEquals(2, observed.size());
                    var all = plane.bridge.matching(observedOf(cluster));
                    Map<String, List<NodeStatus>> byNode = all.subList(before, all.size()).stream()
                            .map(r -> r.data(NodeStatus.class))
                            .collect(Collectors.groupingBy(NodeStatus::nodeId));
                    // (a report of the first run still unsent when it stopped may come first: the last ones count)
                    assertEquals(NodeState.STOPPED, last(byNode.get("n0")).state(), "not this gateway's to start");
                    assertEquals(NodeState.STOPPED, last(byNode.get("n1")).state(), "stopped by command: left so");
                    assertEquals(List.of(NodeState.STOPPED, NodeState.RUNNING), lastTwo(byNode.get("n2")));
                    assertEquals(List.of(NodeState.FAILED, NodeState.RUNNING), lastTwo(byNode.get("n3")));
                    assertTrue(
                            last(byNode.get("n3")).message().startsWith("started by the gateway on start (was FAILED"),
                            last(byNode.get("n3")).message());
                    assertTrue(running(docker, cluster, "n2") && running(docker, cluster, "n3"));
                    assertTrue(!running(docker, cluster, "n0") && !running(docker, cluster, "n1"));
                }
                assertEquals(4, DockerClients.nodesOf(docker, cluster).size(), "nothing of ours was removed");
                assertTrue(
                        docker.listContainersCmd()
                                        .withShowAll(true)
                                        .withNameFilter(List.of(foreign))
                                        .exec()
                                        .size()
                                == 1,
                        "the foreign container is untouched");
            } finally {
                DockerClients.removeCluster(docker, cluster);
                docker.listContainersCmd()
                        .withShowAll(true)
                        .withNameFilter(List.of(foreign))
                        .exec()
                        .forEach(c -> docker.removeContainerCmd(c.getId())
                                .withForce(true)
                                .exec());
            }
        }
    }

    /** Sends a node command as cluster-service would and waits for its successful result. */
    private static void run(ManagementPlane plane, String uid, String type, NodeCommand command) {
        plane.bridge.command(TENANT, uid, type, command);
        var done = plane.bridge.await(
                r -> r.type().equals(EventTypes.COMMAND_COMPLETED)
                        && command.commandId()
                                .equals(r.data(CommandResult.class).commandId()),
                1,
                Duration.ofSeconds(60));
        assertEquals(1, done.size(), command.commandId() + " answered");
        assertEquals(
                CommandResult.Outcome.SUCCEEDED,
                done.get(0).data(CommandResult.class).outcome());
    }

    private static NodeStatus last(List<NodeStatus> reports) {
        return reports.get(reports.size() - 1);
    }

    private static List<NodeState> lastTwo(List<NodeStatus> reports) {
        return reports.subList(reports.size() - 2, reports.size()).stream()
                .map(NodeStatus::state)
                .toList();
    }

    /** A gateway on {@code state}, once it reads its commands (sent earlier, one would be lost: a new session). */
    private static EdgeGateway start(ManagementPlane plane, String uid, Path state) {
        GatewaySettings settings = plane.gateway(uid, state).withHeartbeatInterval(Duration.ofSeconds(5));
        EdgeGateway gateway = new EdgeGateway(
                        settings,
                        InventoryProbe.ofThisMachine(),
                        new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT))
                .start();
        assertTrue(GatewayHarness.eventually(Duration.ofSeconds(60), gateway::connected), "gateway connected");
        return gateway;
    }

    private static Predicate<TestBridge.Received> observedOf(String cluster) {
        return r -> r.type().equals(EventTypes.NODE_OBSERVED)
                && cluster.equals(r.data(NodeStatus.class).clusterId());
    }

    private static boolean startedAgain(NodeStatus s) {
        return s.state() == NodeState.RUNNING
                && s.message() != null
                && s.message().startsWith("started by the gateway on start");
    }

    private static boolean running(DockerClient docker, String cluster, String node) {
        InspectContainerResponse c =
                docker.inspectContainerCmd(NodeNames.nodeName(cluster, node)).exec();
        return Boolean.TRUE.equals(c.getState().getRunning());
    }
}
