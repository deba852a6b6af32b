package io.edgefleet.gateway.nodes;

import io.edgefleet.events.payload.NodeConsole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeStatus;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates and removes the Kubernetes nodes of one appliance: Docker containers (containerized
 * clusters) or libvirt domains (virtualized clusters). The driver is chosen from the appliance kind.
 * <p>
 * Every operation is idempotent, because a command may run again after a gateway crash: creating a
 * node that exists adopts it (never a second container or domain), deleting a missing node succeeds.
 * Nodes are found by what the driver wrote on them (container labels, domain metadata), never by
 * guessing: the driver removes nothing it did not create.
 */
public interface NodeDriver extends AutoCloseable {

    /** Creates the node (with its disks, network, files) and starts it; adopts it if it already exists. */
    NodeStatus create(NodeSpec spec, String commandId) throws NodeDriverException;

    NodeStatus start(String clusterId, String nodeId) throws NodeDriverException;

    /**
     * Waits until a node that {@link #create} or {@link #start} reported running is ready for use, and returns how it
     * stands then; a virtualized node is ready once its guest has booted and applied its bootstrap. {@code progress}
     * hears what it waits for, every few seconds. The default: a running node is ready.
     *
     * @throws NodeDriverException when the node is not ready in time, with the reason (and what the node printed)
     */
    default NodeStatus awaitReady(NodeStatus started, Consumer<String> progress) throws NodeDriverException {
        return started;
    }

    NodeStatus stop(String clusterId, String nodeId) throws NodeDriverException;

    /**
     * Removes the node and everything it had (container or domain, its volumes and data disks), and
     * the cluster's network when this was the cluster's last node. Succeeds when the node is gone already.
     */
    NodeStatus delete(String clusterId, String nodeId) throws NodeDriverException;

    Optional<NodeStatus> inspect(String clusterId, String nodeId) throws NodeDriverException;

    /** Every node this driver manages on the appliance, as it really is. */
    List<NodeStatus> list() throws NodeDriverException;

    /** Removes every node and resource of the cluster (after a failed or aborted provisioning). */
    void cleanupCluster(String clusterId) throws NodeDriverException;

    /**
     * Exec, file and restart access to a running node, for the policy tasks. Fails when the node does not
     * exist or is not this gateway's, and for drivers that cannot enter their nodes.
     */
    default NodeAccess access(String clusterId, String nodeId) throws NodeDriverException {
        throw new NodeDriverException("entering nodes (exec, files, restart) is not supported by "
                + getClass().getSimpleName());
    }

    /**
     * The last lines of the node's console (a virtual machine's serial console, a container's output), at most
     * {@code lines} of them in at most {@code maxBytes} (see {@link ConsoleText#last}). Reads only: also while a command
     * works on the node (e.g. waits for it to boot).
     *
     * @throws NodeDriverException when the node does not exist here or its console cannot be read
     */
    default NodeConsoleTail console(String clusterId, String nodeId, int lines, int maxBytes)
            throws NodeDriverException {
        throw new NodeDriverException(
                "reading a node's console is not supported by " + getClass().getSimpleName());
    }

    /** What {@link #console} read: where from, and the bounded tail. */
    record NodeConsoleTail(NodeConsole.Source source, ConsoleText.Tail tail) {}

    /** Reports changes that happen outside commands (a node crashed, stopped, was removed by hand). */
    void watch(Consumer<NodeStatus> listener);

    @Override
    void close();
}
