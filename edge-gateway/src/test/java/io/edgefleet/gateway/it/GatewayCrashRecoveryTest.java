package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.testsupport.KafkaBroker;
import io.edgefleet.testsupport.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway process is killed (SIGKILL) in the middle of a batch of create commands and started
 * again: every node exists exactly once and every command's result arrives. Real broker, real
 * Docker engine, the gateway as a separate process.
 */
class GatewayCrashRecoveryTest {

    private static final int NODES = 10;

    @TempDir
    Path home;

    @Test
    void aGatewayKilledMidBatchCreatesEachNodeExactlyOnceAndReportsEveryResult() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String uid = "crash-gw-" + suffix;
        String cluster = "crash-" + suffix;
        List<String> commandIds = IntStream.range(0, NODES).mapToObj(i -> "create-" + cluster + "-" + i).toList();
        try (KafkaBroker broker = KafkaBroker.start();
             DockerClient docker = DockerClients.connect()) {
            String bootstrap = broker.bootstrapServers();
            try (var gateway = new GatewayHarness.GatewayProcess(home, GatewayHarness.config(home, uid, bootstrap));
                 var commands = new GatewayHarness.Commands(bootstrap, uid);
                 var reports = new TopicReader(bootstrap, Topics.GATEWAY_REPORTS)) {
                gateway.start();
                // the registration is sent once the gateway reads its commands
                assertEquals(1, reports.await(r -> uid.equals(r.key()) && r.event().type().equals(EventTypes.GATEWAY_REGISTERED),
                        1, Duration.ofSeconds(90)).size(), "the gateway registered");

                for (int i = 0; i < NODES; i++) {
                    commands.send(EventTypes.CREATE_NODE, new NodeCommand(commandIds.get(i), cluster, "n" + i, node(cluster, "n" + i)));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (DockerClients.nodesOf(docker, cluster).size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                gateway.kill();
                int beforeKill = DockerClients.nodesOf(docker, cluster).size();
                assertTrue(beforeKill >= 2 && beforeKill < NODES, "killed in the middle of the batch: " + beforeKill + " of " + NODES);

                gateway.start();
                var completed = reports.await(r -> r.event().type().equals(EventTypes.COMMAND_COMPLETED)
                        && commandIds.contains(r.event().dataAs(CommandResult.class).commandId()), NODES, Duration.ofSeconds(180));
                Set<String> answered = completed.stream().map(r -> r.event().dataAs(CommandResult.class).commandId()).collect(Collectors.toSet());
                assertEquals(Set.copyOf(commandIds), answered, "every command's result arrived");
                assertTrue(completed.stream().allMatch(r -> r.event().dataAs(CommandResult.class).outcome() == CommandResult.Outcome.SUCCEEDED));

                List<Container> nodes = DockerClients.nodesOf(docker, cluster);
                Map<String, Long> perNode = nodes.stream().collect(Collectors.groupingBy(c -> c.getLabels().get(NodeNames.NODE), Collectors.counting()));
                assertEquals(NODES, nodes.size(), "one container per node: " + perNode);
                assertTrue(perNode.values().stream().allMatch(count -> count == 1), "no node twice: " + perNode);

                // a repeated command is answered with the recorded result and creates nothing
                String firstContainer = nodes.stream().filter(c -> "n0".equals(c.getLabels().get(NodeNames.NODE))).findFirst().orElseThrow().getId();
                commands.send(EventTypes.CREATE_NODE, new NodeCommand(commandIds.get(0), cluster, "n0", node(cluster, "n0")));
                var repeats = reports.await(r -> r.event().type().equals(EventTypes.COMMAND_COMPLETED)
                        && commandIds.get(0).equals(r.event().dataAs(CommandResult.class).commandId()), 2, Duration.ofSeconds(60));
                assertEquals(2, repeats.size(), "the repeat was answered");
                assertEquals(repeats.get(0).event().dataAs(CommandResult.class), repeats.get(1).event().dataAs(CommandResult.class),
                        "with the recorded result");
                assertEquals(firstContainer, repeats.get(1).event().dataAs(CommandResult.class).node().ref());
                assertEquals(NODES, DockerClients.nodesOf(docker, cluster).size());

                // cleanup through the gateway: the cluster-wide command removes every node and the network
                commands.send(EventTypes.CLEANUP_CLUSTER, new NodeCommand("cleanup-" + cluster, cluster, null, null));
                reports.await(r -> r.event().type().equals(EventTypes.COMMAND_COMPLETED)
                        && ("cleanup-" + cluster).equals(r.event().dataAs(CommandResult.class).commandId()), 1, Duration.ofSeconds(90));
                assertEquals(0, DockerClients.nodesOf(docker, cluster).size());
            } finally {
                DockerClients.removeCluster(docker, cluster);
            }
        }
    }
}
