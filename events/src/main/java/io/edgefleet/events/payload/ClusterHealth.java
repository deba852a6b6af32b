package io.edgefleet.events.payload;

/**
 * Whether every node of a cluster that should run does: HEALTHY, or DEGRADED while one is observed stopped or
 * crashed (the cluster's {@code healthReason} says which and since when). Separate from {@link ClusterStatus}, which
 * says what the cluster is working towards: a RUNNING cluster may be DEGRADED.
 */
public enum ClusterHealth {
    HEALTHY,
    DEGRADED
}
