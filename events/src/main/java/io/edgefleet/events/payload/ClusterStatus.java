package io.edgefleet.events.payload;

/** The cluster state machine of the design: PENDING → PROVISIONING → RUNNING ⇄ UPDATING; DELETING → DELETED; FAILED (retryable). */
public enum ClusterStatus {
    PENDING,
    PROVISIONING,
    RUNNING,
    UPDATING,
    DELETING,
    DELETED,
    FAILED
}
