package io.edgefleet.gateway;

import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.state.LocalStore.NodeIntent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NodeRestartsTest {

    private static NodeStatus node(String cluster, String node, NodeState state) {
        return new NodeStatus(cluster, "workers", node, state, "ref-" + node, null, "cmd", null, Instant.now());
    }

    /** Every node of {@code found} made by a create of this gateway. */
    private static Map<String, NodeIntent> created(List<NodeStatus> found) {
        Map<String, NodeIntent> intents = new HashMap<>();
        found.forEach(n -> intents.put(NodeRestarts.key(n.clusterId(), n.nodeId()), NodeIntent.RUNNING));
        return intents;
    }

    private static List<String> started(List<NodeStatus> found, Map<String, NodeIntent> intents, Set<String> busy) {
        return NodeRestarts.toStart(found, intents, busy).stream()
                .map(NodeStatus::nodeId)
                .toList();
    }

    @Test
    void stoppedAndCrashedNodesAreStartedAgainTheRestIsLeftAsItIs() {
        List<NodeStatus> found = List.of(
                node("c1", "running", NodeState.RUNNING),
                node("c1", "stopped", NodeState.STOPPED),
                node("c1", "crashed", NodeState.FAILED),
                node("c1", "half-made", NodeState.CREATING),
                node("c1", "gone", NodeState.DELETED));
        assertEquals(List.of("stopped", "crashed"), started(found, created(found), Set.of()));
    }

    @Test
    void aNodeTheManagementPlaneStoppedStaysStopped() {
        List<NodeStatus> found = List.of(node("c1", "n1", NodeState.STOPPED), node("c1", "n2", NodeState.STOPPED));
        assertEquals(
                List.of("n2"),
                started(found, Map.of("c1/n1", NodeIntent.STOPPED, "c1/n2", NodeIntent.RUNNING), Set.of()));
    }

    @Test
    void aNodeThisGatewayHasNoRecordOfIsNotItsOwnToStart() {
        // another gateway's on a shared engine, or made before the store kept intents: cluster-service repairs it
        assertEquals(List.of(), started(List.of(node("c1", "n1", NodeState.STOPPED)), Map.of(), Set.of()));
    }

    @Test
    void anUnfinishedCommandForTheNodeOrItsClusterDecidesInstead() {
        List<NodeStatus> found = List.of(
                node("c1", "n1", NodeState.STOPPED),
                node("c1", "n2", NodeState.STOPPED),
                node("c2", "n1", NodeState.FAILED));
        assertEquals(List.of("n2", "n1"), started(found, created(found), Set.of(NodeRestarts.key("c1", "n1"))));
        assertEquals(List.of("n1"), started(found, created(found), Set.of(NodeRestarts.clusterKey("c1"))));
    }

    @Test
    void somethingWithoutClusterOrNodeIsNotOurs() {
        assertEquals(
                List.of(),
                started(
                        List.of(node(null, "n1", NodeState.STOPPED), node("c1", null, NodeState.STOPPED)),
                        Map.of("null/n1", NodeIntent.RUNNING, "c1/null", NodeIntent.RUNNING),
                        Set.of()));
    }
}
