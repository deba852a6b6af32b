package io.edgefleet.cluster.rollout;

/**
 * What the rollout sees of a cluster (derived by the caller from the cluster). While ROLLING it is the health gate;
 * before its start it says whether the cluster can be started now.
 */
public enum ClusterCondition {
    /** Busy (UPDATING, PROVISIONING, or RUNNING with a node not yet running its new spec): a rolling one is not done, one not started yet waits. */
    SETTLING,
    /** RUNNING and HEALTHY: a rolling one passed the health gate, one not started yet can start. */
    HEALTHY,
    /** FAILED, or being deleted: a rolling one failed, one not started yet cannot be changed and fails. */
    FAILED
}
