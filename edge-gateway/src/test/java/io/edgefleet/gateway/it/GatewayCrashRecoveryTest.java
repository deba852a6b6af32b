package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.gateway.nodes.NodeNames;
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

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway process is killed (SIGKILL) in the middle of a batch of create commands and started again: every
 * node exists exactly once and every command's result arrives; commands the broker had delivered but not got an
 * acknowledgement for come again and are recognised. The gateway enrols (stand-in endpoint) on its first start and
 * keeps its identity across the crash. Real Mosquitto, real Docker engine, the gateway as a separate process.
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
        List<String> commandIds = IntStream.range(0, NODES)
                .mapToObj(i -> "create-" + cluster + "-" + i)
                .toList();
        try (ManagementPlane plane = ManagementPlane.start(home.resolve("plane"));
                EnrolmentStandIn enrolment =
                        new EnrolmentStandIn(plane.pki, TENANT, plane.broker.deviceUrl(), Duration.ofHours(1));
                DockerClient docker = DockerClients.connect()) {
            TestBridge bridge = plane.bridge;
            var config = GatewayHarness.config(
                    home.resolve("gw"),
                    uid,
                    enrolment.url(),
                    enrolment.issueToken(null, 1),
                    plane.pki.platformCa().certFile());
            try (var gateway = new GatewayHarness.GatewayProcess(home.resolve("gw"), config)) {
                gateway.start();
                // the registration is sent once the gateway is subscribed to its commands
                assertEquals(
                        1,
                        bridge.await(
                                        r -> uid.equals(r.uid()) && r.type().equals(EventTypes.GATEWAY_REGISTERED),
                                        1,
                                        Duration.ofSeconds(90))
                                .size(),
                        "the gateway enrolled and registered");

                for (int i = 0; i < NODES; i++) {
                    bridge.command(
                            TENANT,
                            uid,
                            EventTypes.CREATE_NODE,
                            new NodeCommand(commandIds.get(i), cluster, "n" + i, node(cluster, "n" + i)));
                }
                GatewayHarness.eventually(
                        Duration.ofSeconds(90),
                        () -> DockerClients.nodesOf(docker, cluster).size() >= 2);
                gateway.kill();
                int beforeKill = DockerClients.nodesOf(docker, cluster).size();
                assertTrue(
                        beforeKill >= 2 && beforeKill < NODES,
                        "killed in the middle of the batch: " + beforeKill + " of " + NODES);

                gateway.start();
                // a command done before the kill whose acknowledgement was lost comes again: answered with its result
                // again
                GatewayHarness.eventually(
                        Duration.ofSeconds(180),
                        () -> answered(bridge, commandIds).containsAll(commandIds));
                var completed = bridge.matching(r -> r.type().equals(EventTypes.COMMAND_COMPLETED)
                        && commandIds.contains(r.data(CommandResult.class).commandId()));
                assertEquals(Set.copyOf(commandIds), answered(bridge, commandIds), "every command's result arrived");
                assertTrue(completed.stream()
                        .allMatch(r -> r.data(CommandResult.class).outcome() == CommandResult.Outcome.SUCCEEDED));

                List<Container> nodes = DockerClients.nodesOf(docker, cluster);
                Map<String, Long> perNode = nodes.stream()
                        .collect(Collectors.groupingBy(c -> c.getLabels().get(NodeNames.NODE), Collectors.counting()));
                assertEquals(NODES, nodes.size(), "one container per node: " + perNode);
                assertTrue(perNode.values().stream().allMatch(count -> count == 1), "no node twice: " + perNode);
                assertEquals(1, enrolment.count("/v1/enrollments"), "enrolled once: the identity survived the crash");

                // a repeated command is answered with the recorded result and creates nothing
                String firstContainer = nodes.stream()
                        .filter(c -> "n0".equals(c.getLabels().get(NodeNames.NODE)))
                        .findFirst()
                        .orElseThrow()
                        .getId();
                int before = bridge.matching(r -> r.type().equals(EventTypes.COMMAND_COMPLETED)
                                && commandIds
                                        .get(0)
                                        .equals(r.data(CommandResult.class).commandId()))
                        .size();
                bridge.command(
                        TENANT,
                        uid,
                        EventTypes.CREATE_NODE,
                        new NodeCommand(commandIds.get(0), cluster, "n0", node(cluster, "n0")));
                var repeats = bridge.await(
                        r -> r.type().equals(EventTypes.COMMAND_COMPLETED)
                                && commandIds
                                        .get(0)
                                        .equals(r.data(CommandResult.class).commandId()),
                        before + 1,
                        Duration.ofSeconds(60));
                assertEquals(before + 1, repeats.size(), "the repeat was answered");
                assertTrue(
                        repeats.stream()
                                .allMatch(r -> r.data(CommandResult.class)
                                        .equals(repeats.get(0).data(CommandResult.class))),
                        "with the recorded result");
                assertEquals(
                        firstContainer,
                        repeats.get(before).data(CommandResult.class).node().ref());
                assertEquals(NODES, DockerClients.nodesOf(docker, cluster).size());

                // cleanup through the gateway: the cluster-wide command removes every node and the network
                bridge.command(
                        TENANT,
                        uid,
                        EventTypes.CLEANUP_CLUSTER,
                        new NodeCommand("cleanup-" + cluster, cluster, null, null));
                bridge.await(
                        r -> r.type().equals(EventTypes.COMMAND_COMPLETED)
                                && ("cleanup-" + cluster)
                                        .equals(r.data(CommandResult.class).commandId()),
                        1,
                        Duration.ofSeconds(90));
                assertEquals(0, DockerClients.nodesOf(docker, cluster).size());
            } finally {
                DockerClients.removeCluster(docker, cluster);
            }
        }
    }

    private static Set<String> answered(TestBridge bridge, List<String> commandIds) {
        return bridge
                .matching(r -> r.type().equals(EventTypes.COMMAND_COMPLETED)
                        && commandIds.contains(r.data(CommandResult.class).commandId()))
                .stream()
                .map(r -> r.data(CommandResult.class).commandId())
                .collect(Collectors.toSet());
    }
}
