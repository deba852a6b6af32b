package io.edgefleet.cluster.rollout;

import java.time.Instant;

/**
 * One cluster of a rollout as the planner sees it.
 *
 * @param wave      its wave (0 is the canary wave when the strategy has canaries)
 * @param since     when it entered {@code state}
 * @param online    every appliance of the cluster is reachable now
 * @param inWindow  its maintenance window is open now (true when it has none)
 * @param condition what the health gate sees (matters only while ROLLING)
 */
public record Target(
        String clusterId,
        int wave,
        TargetState state,
        Instant since,
        boolean online,
        boolean inWindow,
        ClusterCondition condition) {}
