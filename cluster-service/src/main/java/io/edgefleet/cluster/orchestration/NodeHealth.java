package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.events.payload.ClusterHealth;
import io.edgefleet.events.payload.ClusterStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A cluster's health and the repairs it needs, from its nodes as their gateways see them. No I/O, like the
 * {@link Planner}: the {@link Orchestrator} records the health (a task and an event when it changes) and sends the
 * repairs.
 * <p>
 * The rules:
 * <ul>
 *   <li>A node is <em>down</em> when it was created and should run (target PRESENT, stage RUNNING) but its gateway
 *   reports it STOPPED or FAILED (stopped behind our back, crashed, killed, an engine restart or a power cut).
 *   The cluster is DEGRADED while any node is down, with the reason: which, on which appliance, in which state
 *   since when, and what the gateway or the repair said. Otherwise HEALTHY — whatever its status: health says
 *   whether what should run runs, the status what the cluster is working towards. Nodes being created or removed
 *   do not count (the status covers them); a node that is gone outright (DELETED) is replaced at once by the
 *   {@link ReportHandler} and does not count either.</li>
 *   <li>A node down for {@code repairAfter} (the grace period: the engine's restart policy or the gateway's own
 *   reconcile usually bring it back first) is started again with a start-node command, while the cluster is
 *   PROVISIONING, UPDATING or RUNNING. Not while a command for it is under way, and not once it is
 *   {@linkplain ClusterNode#broken broken}: a start failed, and the {@link Planner} replaces it as its pool's rolling
 *   strategy says. A FAILED cluster waits for retry; a DELETING one removes its nodes anyway.</li>
 * </ul>
 */
public final class NodeHealth {

    /**
     * @param reason  null when HEALTHY
     * @param toStart the nodes to start again now
     */
    public record Assessment(ClusterHealth health, String reason, List<ClusterNode> toStart) {}

    private NodeHealth() {}

    public static Assessment assess(ClusterStatus status, List<ClusterNode> nodes, Instant now, Duration repairAfter) {
        List<ClusterNode> down = nodes.stream().filter(ClusterNode::down).toList();
        if (down.isEmpty()) {
            return new Assessment(ClusterHealth.HEALTHY, null, List.of());
        }
        boolean repairing = status == ClusterStatus.PROVISIONING
                || status == ClusterStatus.UPDATING
                || status == ClusterStatus.RUNNING;
        Instant dueBefore = now.minus(repairAfter);
        List<ClusterNode> toStart = repairing
                ? down.stream()
                        .filter(n -> n.awaitingCommand == null && !n.broken && !n.downSince.isAfter(dueBefore))
                        .toList()
                : List.of();
        String each = down.stream().map(NodeHealth::describe).collect(Collectors.joining("; "));
        String reason = down.size() == 1 ? each : down.size() + " nodes down: " + each;
        return new Assessment(ClusterHealth.DEGRADED, reason, toStart);
    }

    /** E.g. "node workers-1 on appliance shop-1 STOPPED since 2026-…Z (docker event stop: exited with code 0)". */
    private static String describe(ClusterNode n) {
        return "node " + n.nodeId + " on appliance " + n.applianceUid + " " + n.observedState + " since "
                + n.downSince.truncatedTo(ChronoUnit.SECONDS) + (n.message == null ? "" : " (" + n.message + ")");
    }
}
