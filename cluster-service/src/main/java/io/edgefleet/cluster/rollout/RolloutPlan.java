package io.edgefleet.cluster.rollout;

import java.util.List;

/**
 * What the {@link RolloutPlanner} decided in one pass. The caller applies it in one transaction: each change of a
 * cluster's state (a change to ROLLING means: start that cluster's update now), then the rollout's own.
 *
 * @param changes     per-cluster state changes, in the order decided
 * @param waveStarted the wave whose first cluster starts in this pass, or null
 * @param pauseReason why the rollout pauses now, or null
 * @param completed   every cluster is finished: the rollout is COMPLETED
 * @param scanResends SCANNING clusters whose scan request is sent again (no run seen within the resend interval)
 */
public record RolloutPlan(
        List<Change> changes, Integer waveStarted, String pauseReason, boolean completed, List<String> scanResends) {

    /** One cluster's new state and why. */
    public record Change(String clusterId, TargetState to, String reason) {}

    public List<String> started() {
        return changes.stream()
                .filter(c -> c.to() == TargetState.ROLLING)
                .map(Change::clusterId)
                .toList();
    }

    /** The clusters whose scan is asked for in this pass (a change to SCANNING: send the request). */
    public List<String> scansRequested() {
        return changes.stream()
                .filter(c -> c.to() == TargetState.SCANNING)
                .map(Change::clusterId)
                .toList();
    }

    public boolean isEmpty() {
        return changes.isEmpty() && waveStarted == null && pauseReason == null && !completed && scanResends.isEmpty();
    }
}
