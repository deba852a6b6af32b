package io.edgefleet.cluster;

import io.edgefleet.cluster.bench.RecordingNodeDriver;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The node driver of a SIMULATED appliance for fleet tests: a {@link RecordingNodeDriver} (records every operation,
 * creates nothing) that a test can break (every create fails, as a broken appliance's would) or hold (creates wait
 * until released, so a test can act while a change is under way on the appliance). Its nodes have no address unless
 * given one ({@link #reachableAt}): then the gateway's PENETRATION scan really probes that address's ports.
 */
final class SimulatedAppliance implements NodeDriver {

    final RecordingNodeDriver recorded = new RecordingNodeDriver();
    private volatile boolean broken;
    private volatile CountDownLatch hold;
    /** The spec of the node created last (what the appliance was asked to run). */
    volatile NodeSpec lastCreated;
    /** The IP address every node of this appliance reports (null: none). */
    private volatile String ip;

    /** Its nodes answer at {@code address} (a loopback address of this machine, e.g. 127.0.0.21). */
    SimulatedAppliance reachableAt(String address) {
        ip = address;
        return this;
    }

    void breakIt() {
        broken = true;
    }

    void repair() {
        broken = false;
    }

    /** Creates wait until {@link #release()} (at most a minute: a test that fails never hangs a gateway). */
    void hold() {
        hold = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch h = hold;
        if (h != null) {
            h.countDown();
        }
    }

    /** Creates recorded for the cluster (each rolling replacement creates a node). */
    long creates(String clusterId) {
        return recorded.operations.stream()
                .filter(o -> o.kind().equals("create") && clusterId.equals(o.clusterId()))
                .count();
    }

    @Override
    public NodeStatus create(NodeSpec spec, String commandId) throws NodeDriverException {
        CountDownLatch h = hold;
        if (h != null) {
            try {
                h.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (broken) {
            throw new NodeDriverException("simulated: the appliance cannot create nodes");
        }
        lastCreated = spec;
        return addressed(recorded.create(spec, commandId));
    }

    private NodeStatus addressed(NodeStatus s) {
        String address = ip;
        return address == null || s.state() != NodeState.RUNNING
                ? s
                : new NodeStatus(
                        s.clusterId(),
                        s.poolName(),
                        s.nodeId(),
                        s.state(),
                        s.ref(),
                        address,
                        s.commandId(),
                        s.message(),
                        s.observedAt());
    }

    @Override
    public NodeStatus start(String clusterId, String nodeId) {
        return recorded.start(clusterId, nodeId);
    }

    @Override
    public NodeStatus stop(String clusterId, String nodeId) {
        return recorded.stop(clusterId, nodeId);
    }

    @Override
    public NodeStatus delete(String clusterId, String nodeId) {
        return recorded.delete(clusterId, nodeId);
    }

    @Override
    public Optional<NodeStatus> inspect(String clusterId, String nodeId) {
        return recorded.inspect(clusterId, nodeId).map(this::addressed);
    }

    @Override
    public List<NodeStatus> list() {
        return recorded.list().stream().map(this::addressed).toList();
    }

    @Override
    public void cleanupCluster(String clusterId) {
        recorded.cleanupCluster(clusterId);
    }

    @Override
    public void watch(Consumer<NodeStatus> listener) {
        recorded.watch(listener);
    }

    @Override
    public void close() {
        release();
        recorded.close();
    }
}
