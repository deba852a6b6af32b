package io.edgefleet.events.payload;

/** Why an appliance turned UNREACHABLE (appliance-service records it at the transition, its V8). */
public enum UnreachableReason {
    /** Its gateway's link-lost will: the broker saw the connection end and it did not come back within the will delay. */
    LINK_LOST,
    /** Its gateway stopped reporting for a heartbeat timeout. */
    HEARTBEATS_MISSED
}
