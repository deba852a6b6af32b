package io.edgefleet.cluster.rollout;

/**
 * Where one cluster of a rollout stands. The last four are final: the rollout never touches the cluster again, except
 * that an operator may roll a FAILED one back (ROLLING_BACK, then ROLLED_BACK or FAILED).
 */
public enum TargetState {
    /** Not started yet. */
    PENDING,
    /** Its turn came outside its maintenance window. */
    WAITING_WINDOW,
    /** Its turn came with its appliance offline ({@link OfflineMode#WAIT}). */
    WAITING_OFFLINE,
    /** Its change was started; the health gate decides. */
    ROLLING,
    /**
     * It passed the health gate and the rollout's scan ({@code strategy.scan}) was asked of policy-service; its answer
     * decides (HEALTHY or FAILED). Takes a concurrency slot and holds its wave.
     */
    SCANNING,
    /** A FAILED cluster going back to the profile version it had (an operator's rollback); the health gate decides. */
    ROLLING_BACK,
    HEALTHY,
    FAILED,
    SKIPPED,
    ROLLED_BACK;

    public boolean finished() {
        return this == HEALTHY || this == FAILED || this == SKIPPED || this == ROLLED_BACK;
    }

    /** It failed in this rollout (and may since be rolled back): counts towards the failure threshold. */
    public boolean failedOnce() {
        return this == FAILED || this == ROLLING_BACK || this == ROLLED_BACK;
    }

    /** A change of its cluster, or its scan, is under way (takes one of the rollout's {@code maxConcurrency} slots). */
    public boolean changing() {
        return this == ROLLING || this == ROLLING_BACK || this == SCANNING;
    }

    /** Its turn has not come or it waits: the planner may still start it. */
    public boolean startable() {
        return this == PENDING || this == WAITING_WINDOW || this == WAITING_OFFLINE;
    }
}
