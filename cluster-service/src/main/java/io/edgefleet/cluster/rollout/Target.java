package io.edgefleet.cluster.rollout;

import java.time.Instant;

/**
 * One cluster of a rollout as the planner sees it.
 *
 * @param wave      its wave (0 is the canary wave when the strategy has canaries)
 * @param since     when it entered {@code state}
 * @param online    every appliance of the cluster is reachable now
 * @param window    its maintenance window, or null when it has none (always open); the planner asks it with its own
 *                  {@code now}, so the decision stays pure
 * @param condition what the health gate sees (matters only while ROLLING)
 * @param scan      SCANNING: the scan's request and answer so far; else null
 */
public record Target(
        String clusterId,
        int wave,
        TargetState state,
        Instant since,
        boolean online,
        MaintenanceWindow window,
        ClusterCondition condition,
        ScanOutcome scan) {

    /** A target not scanning. */
    public Target(
            String clusterId,
            int wave,
            TargetState state,
            Instant since,
            boolean online,
            MaintenanceWindow window,
            ClusterCondition condition) {
        this(clusterId, wave, state, since, online, window, condition, null);
    }
}
