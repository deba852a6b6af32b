package io.edgefleet.cluster.rollout;

/** A rollout's life: RUNNING ⇄ PAUSED, then COMPLETED, or ABORTED at any point before. */
public enum RolloutStatus {
    RUNNING,
    PAUSED,
    COMPLETED,
    ABORTED;

    public boolean finished() {
        return this == COMPLETED || this == ABORTED;
    }
}
