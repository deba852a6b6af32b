package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On start the gateway reports the nodes that really run, as they are, and removes nothing. */
class ReconcileTest {

    @TempDir
    Path home;

    @Test
    void aStartingGatewayReportsWhatRunsAndRemovesNothing() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String cluster = "reconcile-" + suffix;
        String foreign = "not-ours-" + suffix;
        try (ManagementPlane plane = ManagementPlane.start(home.resolve("plane"));
                DockerClient docker = DockerClients.connect();
                DockerNodeDriver earlier = new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT)) {
            try {
                // what an earlier run of the gateway left: two nodes, one of them stopped; and a container that is not
                // ours
                earlier.create(node(cluster, "n1"), "cmd-1");
                earlier.create(node(cluster, "n2"), "cmd-2");
                earlier.stop(cluster, "n2");
                docker.createContainerCmd("edgefleet/node:latest")
                        .withName(foreign)
                        .exec();

                GatewaySettings settings = plane.gateway("reconcile-gw-" + suffix, home.resolve("state"))
                        .withHeartbeatInterval(Duration.ofSeconds(5));
                try (var gateway = new EdgeGateway(
                                settings,
                                InventoryProbe.ofThisMachine(),
                                new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT))
                        .start()) {
                    var observed = plane.bridge.await(
                            r -> r.type().equals(EventTypes.NODE_OBSERVED)
                                    && cluster.equals(r.data(NodeStatus.class).clusterId()),
                            2,
                            Duration.ofSeconds(60));
                    Map<String, NodeStatus> byNode = observed.stream()
                            .map(r -> r.data(NodeStatus.class))
                            .collect(Collectors.toMap(NodeStatus::nodeId, s -> s, (first, later) -> first));
                    assertEquals(Set.of("n1", "n2"), byNode.keySet());
                    assertEquals(NodeState.RUNNING, byNode.get("n1").state());
                    assertEquals(NodeState.STOPPED, byNode.get("n2").state());
                    assertEquals("cmd-1", byNode.get("n1").commandId());
                }
                assertEquals(2, DockerClients.nodesOf(docker, cluster).size(), "nothing of ours was removed");
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
}
