package io.edgefleet.events;

/** CloudEvent {@code type} values. A breaking payload change gets a new {@code .vN} suffix. */
public final class EventTypes {
    // gateway-reports: sent by the edge gateway
    public static final String GATEWAY_REGISTERED = "edgefleet.gateway.registered.v1";
    public static final String GATEWAY_HEARTBEAT = "edgefleet.gateway.heartbeat.v1";

    // gateway-reports: results of commands and what the gateway observes, payloads CommandProgress,
    // CommandResult and NodeStatus
    public static final String COMMAND_PROGRESS = "edgefleet.gateway.command.progress.v1";
    public static final String COMMAND_COMPLETED = "edgefleet.gateway.command.completed.v1";
    public static final String NODE_OBSERVED = "edgefleet.gateway.node.observed.v1";

    // gateway-commands: sent to one appliance's gateway (key and subject = appliance uid), payload NodeCommand
    public static final String CREATE_NODE = "edgefleet.gateway.command.create-node.v1";
    public static final String DELETE_NODE = "edgefleet.gateway.command.delete-node.v1";
    public static final String START_NODE = "edgefleet.gateway.command.start-node.v1";
    public static final String STOP_NODE = "edgefleet.gateway.command.stop-node.v1";
    public static final String CLEANUP_CLUSTER = "edgefleet.gateway.command.cleanup-cluster.v1";

    // appliance-events: sent by appliance-service, payload ApplianceSnapshot
    public static final String APPLIANCE_REGISTERED = "edgefleet.appliance.registered.v1";
    public static final String APPLIANCE_PAIRED = "edgefleet.appliance.paired.v1";
    public static final String APPLIANCE_UNREACHABLE = "edgefleet.appliance.unreachable.v1";
    public static final String APPLIANCE_REACHABLE = "edgefleet.appliance.reachable.v1";
    public static final String APPLIANCE_UPDATED = "edgefleet.appliance.updated.v1";
    public static final String APPLIANCE_DELETED = "edgefleet.appliance.deleted.v1";

    // profile-events: sent by profile-service. Profiles (key and subject = profile id), payload ProfileSnapshot
    public static final String PROFILE_CREATED = "edgefleet.profile.created.v1";
    public static final String PROFILE_UPDATED = "edgefleet.profile.updated.v1";
    public static final String PROFILE_VERSION_CREATED = "edgefleet.profile.version-created.v1";
    public static final String PROFILE_DELETED = "edgefleet.profile.deleted.v1";
    // a layer on a version train moved to a newer release, payload ProfileRelinked
    public static final String PROFILE_RELINKED = "edgefleet.profile.relinked.v1";
    // a registry gained a pack or chart version (key = registry/pack), payload PackVersionPublished
    public static final String PACK_VERSION_PUBLISHED = "edgefleet.pack.version-published.v1";

    private EventTypes() {
    }
}
