package io.edgefleet.cluster.rollout;

/** Where one cluster of a rollout stands. The last four are final: the cluster is never touched again. */
public enum TargetState {
    /** Not started yet. */
    PENDING,
    /** Its turn came outside its maintenance window. */
    WAITING_WINDOW,
    /** Its turn came with its appliance offline ({@link OfflineMode#WAIT}). */
    WAITING_OFFLINE,
    /** Its change was started; the health gate decides. */
    ROLLING,
    HEALTHY,
    FAILED,
    SKIPPED,
    ROLLED_BACK;

    public boolean finished() {
        return this == HEALTHY || this == FAILED || this == SKIPPED || this == ROLLED_BACK;
    }

    /** Its turn has not come or it waits: the planner may still start it. */
    public boolean startable() {
        return this == PENDING || this == WAITING_WINDOW || this == WAITING_OFFLINE;
    }
}
