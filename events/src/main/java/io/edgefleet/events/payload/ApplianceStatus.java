package io.edgefleet.events.payload;

public enum ApplianceStatus {
    /** Registered by an operator, no gateway report seen yet. */
    UNPAIRED,
    /** Its gateway reports regularly. */
    READY,
    /** Its gateway missed the heartbeat deadline. */
    UNREACHABLE
}
