package io.edgefleet.gateway;

import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.state.LocalStore.NodeIntent;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes a starting gateway starts again: the reconcile after a reboot, a Docker engine or libvirtd restart, or
 * a crash of the gateway itself finds nodes down that should run. No I/O: {@link EdgeGateway} lists the nodes, reads
 * the local store and carries the decision out.
 * <p>
 * A node found {@link NodeState#STOPPED} or {@link NodeState#FAILED} (crashed, killed, exited with an error; a
 * power cut leaves Docker containers "exited (255)") is started again when
 * <ul>
 *   <li>this gateway's last node command for it that succeeded was a create or a start ({@link NodeIntent#RUNNING}):
 *   one the management plane stopped stays stopped, and one this gateway has no record of is not its own to start
 *   (made by another gateway on a shared engine, or before the local store was lost or kept intents;
 *   cluster-service's repair starts such a node through a command, which records the intent);</li>
 *   <li>and no command for it (or for its whole cluster) is unfinished: that command runs right after the reconcile
 *   and decides (a create adopts and starts it, a delete removes it).</li>
 * </ul>
 * Anything else is left as it is: RUNNING needs nothing, CREATING is a create that stopped half-way (its command
 * adopts it), DELETED is gone.
 * Starting on the appliance itself, without waiting for the management plane, brings an appliance's nodes back after
 * a power cut even while its uplink is down; cluster-service repairs what this does not (a node that stops while
 * the gateway runs, a start that fails) after its grace period.
 */
final class NodeRestarts {

    private NodeRestarts() {}

    /**
     * @param found   every node the driver found on the appliance, as it is
     * @param intents what the last succeeded command made of each node, by {@link #key}
     * @param busy    nodes ({@link #key}) and whole clusters ({@link #clusterKey}) with an unfinished command
     * @return the nodes to start, in the order found
     */
    static List<NodeStatus> toStart(List<NodeStatus> found, Map<String, NodeIntent> intents, Set<String> busy) {
        return found.stream()
                .filter(n -> n.clusterId() != null && n.nodeId() != null)
                .filter(n -> n.state() == NodeState.STOPPED || n.state() == NodeState.FAILED)
                .filter(n -> intents.get(key(n.clusterId(), n.nodeId())) == NodeIntent.RUNNING)
                .filter(n ->
                        !busy.contains(key(n.clusterId(), n.nodeId())) && !busy.contains(clusterKey(n.clusterId())))
                .toList();
    }

    static String key(String clusterId, String nodeId) {
        return clusterId + "/" + nodeId;
    }

    /** A command for a whole cluster (cleanup): every node of it is busy. */
    static String clusterKey(String clusterId) {
        return clusterId + "/*";
    }
}
