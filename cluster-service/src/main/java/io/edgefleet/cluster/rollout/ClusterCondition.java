package io.edgefleet.cluster.rollout;

/** What the health gate sees of a ROLLING cluster (derived by the caller from the cluster and its nodes). */
public enum ClusterCondition {
    /** Still changing (UPDATING, or RUNNING with a node not yet running its new spec). */
    SETTLING,
    /** RUNNING, health HEALTHY, every node running its desired spec. */
    HEALTHY,
    /** The change failed (the cluster is FAILED). */
    FAILED
}
