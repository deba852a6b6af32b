package io.edgefleet.cluster.rollout;

/** What a rollout does with a cluster whose appliance is offline when its turn comes. */
public enum OfflineMode {
    /** Leave the cluster out (SKIPPED, with the reason); it does not count as a failure. */
    SKIP,
    /** Hold the cluster (WAITING_OFFLINE) until its appliances are back, up to the rollout's offline timeout. */
    WAIT,
    /** The cluster FAILED (counts towards the failure threshold). */
    FAIL
}
