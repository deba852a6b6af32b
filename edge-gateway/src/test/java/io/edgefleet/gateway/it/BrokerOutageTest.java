package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import io.edgefleet.testsupport.KafkaBroker;
import io.edgefleet.testsupport.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker goes away while the gateway works: the gateway finishes what it was told, keeps its
 * reports locally, and sends every one of them, in order, when the broker is back.
 */
class BrokerOutageTest {

    @TempDir
    Path home;

    @Test
    void noReportIsLostWhileTheBrokerIsAway() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String uid = "outage-gw-" + suffix;
        String cluster = "outage-" + suffix;
        List<String> commandIds = IntStream.range(0, 4).mapToObj(i -> "create-" + cluster + "-" + i).toList();
        try (KafkaBroker broker = KafkaBroker.start();
             DockerClient docker = DockerClients.connect()) {
            String bootstrap = broker.bootstrapServers();
            GatewaySettings settings = new GatewaySettings(uid, TENANT, bootstrap, "127.0.0.1", false, "offline", null, null,
                    ProxySettings.NONE, null, Duration.ofSeconds(1), Duration.ofSeconds(3), home.resolve("state"));
            try (var gateway = new EdgeGateway(settings, InventoryProbe.ofThisMachine(), () -> "token-not-checked-by-the-broker",
                    new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT)).start();
                 var commands = new GatewayHarness.Commands(bootstrap, uid);
                 var reports = new TopicReader(bootstrap, Topics.GATEWAY_REPORTS)) {
                reports.await(r -> r.event().type().equals(EventTypes.GATEWAY_REGISTERED), 1, Duration.ofSeconds(60));
                for (int i = 0; i < commandIds.size(); i++) {
                    commands.send(EventTypes.CREATE_NODE, new NodeCommand(commandIds.get(i), cluster, "n" + i, node(cluster, "n" + i)));
                }
                // once every command is taken, the broker goes away
                reports.await(r -> isProgress(r, "accepted"), commandIds.size(), Duration.ofSeconds(60));
                broker.pause();
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                    while (DockerClients.nodesOf(docker, cluster).size() < commandIds.size() && System.nanoTime() < deadline) {
                        Thread.sleep(200);
                    }
                    assertEquals(commandIds.size(), DockerClients.nodesOf(docker, cluster).size(), "the gateway kept working offline");
                    // a node dies while the link is down: that observation must not be lost either
                    String n0 = DockerClients.nodesOf(docker, cluster).stream()
                            .filter(c -> "n0".equals(c.getLabels().get(NodeNames.NODE))).findFirst().orElseThrow().getId();
                    docker.killContainerCmd(n0).exec();
                    deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (gateway.reportFailure() == null && System.nanoTime() < deadline) {
                        Thread.sleep(200);
                    }
                    assertTrue(gateway.reportFailure() != null, "the gateway noticed the broker is away");
                    assertTrue(gateway.pendingReports() > 0, "reports wait locally");
                } finally {
                    broker.resume();
                }

                var completed = reports.await(r -> r.event().type().equals(EventTypes.COMMAND_COMPLETED), commandIds.size(),
                        Duration.ofSeconds(120));
                assertEquals(commandIds, completed.stream().map(r -> r.event().dataAs(CommandResult.class).commandId())
                        .distinct().toList(), "every result, in the order the commands ran");
                var died = reports.await(r -> r.event().type().equals(EventTypes.NODE_OBSERVED)
                        && "n0".equals(r.event().dataAs(NodeStatus.class).nodeId())
                        && r.event().dataAs(NodeStatus.class).state() != NodeState.RUNNING, 1, Duration.ofSeconds(60));
                assertFalse(died.isEmpty(), "the node's death was reported after the outage"); // Docker emits kill and die
                // delivery is at least once (a send cut off by the outage is sent again, with the same event id);
                // per command, the distinct events are accepted, started, completed, in this order
                for (String commandId : commandIds) {
                    var seen = new java.util.HashSet<String>();
                    var steps = reports.settle(r -> commandId.equals(commandIdOf(r)), Duration.ZERO).stream()
                            .filter(r -> seen.add(r.event().id()))
                            .map(r -> r.event().type().equals(EventTypes.COMMAND_COMPLETED) ? "completed"
                                    : r.event().dataAs(CommandProgress.class).step()).toList();
                    assertEquals(List.of("accepted", "started", "completed"), steps, commandId);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (gateway.pendingReports() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(0, gateway.pendingReports());
                assertNotEquals(0, reports.await(r -> r.event().type().equals(EventTypes.GATEWAY_HEARTBEAT), 1, Duration.ofSeconds(30)).size(),
                        "heartbeats go on");
            } finally {
                DockerClients.removeCluster(docker, cluster);
            }
        }
    }

    private static boolean isProgress(TopicReader.Received r, String step) {
        return r.event().type().equals(EventTypes.COMMAND_PROGRESS) && step.equals(r.event().dataAs(CommandProgress.class).step());
    }

    private static String commandIdOf(TopicReader.Received r) {
        return switch (r.event().type()) {
            case EventTypes.COMMAND_PROGRESS -> r.event().dataAs(CommandProgress.class).commandId();
            case EventTypes.COMMAND_COMPLETED -> r.event().dataAs(CommandResult.class).commandId();
            default -> null;
        };
    }
}
