package io.edgefleet.cluster.bench;

import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.NodeDriver;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A SIMULATED node driver for benchmarks: it creates nothing. Every operation is only RECORDED (kept in
 * {@link #operations}) and answered at once as if it had succeeded, so a benchmark measures the control
 * plane (cluster-service, Kafka, the gateway's command handling), not Docker or libvirt.
 */
public final class RecordingNodeDriver implements NodeDriver {

    /** One recorded operation: what, on which node, when. */
    public record Operation(String kind, String clusterId, String nodeId, Instant at) {}

    public final List<Operation> operations = new CopyOnWriteArrayList<>();
    private final Map<String, NodeStatus> nodes = new ConcurrentHashMap<>();

    @Override
    public NodeStatus create(NodeSpec spec, String commandId) {
        operations.add(new Operation("create", spec.clusterId(), spec.nodeId(), Instant.now()));
        NodeStatus status = new NodeStatus(
                spec.clusterId(),
                spec.poolName(),
                spec.nodeId(),
                NodeState.RUNNING,
                "recorded-" + spec.nodeId(),
                null,
                commandId,
                "simulated: nothing was created",
                Instant.now());
        nodes.put(spec.clusterId() + "/" + spec.nodeId(), status);
        return status;
    }

    @Override
    public NodeStatus start(String clusterId, String nodeId) {
        operations.add(new Operation("start", clusterId, nodeId, Instant.now()));
        return status(clusterId, nodeId, NodeState.RUNNING);
    }

    @Override
    public NodeStatus stop(String clusterId, String nodeId) {
        operations.add(new Operation("stop", clusterId, nodeId, Instant.now()));
        return status(clusterId, nodeId, NodeState.STOPPED);
    }

    @Override
    public NodeStatus delete(String clusterId, String nodeId) {
        operations.add(new Operation("delete", clusterId, nodeId, Instant.now()));
        nodes.remove(clusterId + "/" + nodeId);
        return new NodeStatus(clusterId, null, nodeId, NodeState.DELETED, null, null, null, "simulated", Instant.now());
    }

    @Override
    public Optional<NodeStatus> inspect(String clusterId, String nodeId) {
        return Optional.ofNullable(nodes.get(clusterId + "/" + nodeId));
    }

    @Override
    public List<NodeStatus> list() {
        return new ArrayList<>(nodes.values());
    }

    @Override
    public void cleanupCluster(String clusterId) {
        operations.add(new Operation("cleanup", clusterId, null, Instant.now()));
        nodes.keySet().removeIf(k -> k.startsWith(clusterId + "/"));
    }

    @Override
    public void watch(Consumer<NodeStatus> listener) {
        // nothing happens outside commands
    }

    @Override
    public void close() {}

    private NodeStatus status(String clusterId, String nodeId, NodeState state) {
        NodeStatus known = nodes.get(clusterId + "/" + nodeId);
        return new NodeStatus(
                clusterId,
                known == null ? null : known.poolName(),
                nodeId,
                state,
                null,
                null,
                null,
                "simulated",
                Instant.now());
    }
}
