package io.edgefleet.events;

/** CloudEvent {@code type} values. A breaking payload change gets a new {@code .vN} suffix. */
public final class EventTypes {
    // gateway-reports: sent by the edge gateway
    public static final String GATEWAY_REGISTERED = "edgefleet.gateway.registered.v1";
    public static final String GATEWAY_HEARTBEAT = "edgefleet.gateway.heartbeat.v1";

    // appliance-events: sent by appliance-service, payload ApplianceSnapshot
    public static final String APPLIANCE_REGISTERED = "edgefleet.appliance.registered.v1";
    public static final String APPLIANCE_PAIRED = "edgefleet.appliance.paired.v1";
    public static final String APPLIANCE_UNREACHABLE = "edgefleet.appliance.unreachable.v1";
    public static final String APPLIANCE_REACHABLE = "edgefleet.appliance.reachable.v1";
    public static final String APPLIANCE_UPDATED = "edgefleet.appliance.updated.v1";
    public static final String APPLIANCE_DELETED = "edgefleet.appliance.deleted.v1";

    private EventTypes() {
    }
}
