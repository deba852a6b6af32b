package io.edgefleet.appliance.repository;

/** Why an appliance turned UNREACHABLE (recorded at the transition, V8). */
public enum UnreachableReason {
    /** Its gateway's link-lost will: the broker saw the connection end and it did not come back within the will delay. */
    LINK_LOST,
    /** Its gateway stopped reporting for a heartbeat timeout. */
    HEARTBEATS_MISSED
}
