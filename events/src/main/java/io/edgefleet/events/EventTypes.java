package io.edgefleet.events;

import java.util.Set;

/** CloudEvent {@code type} values. A breaking payload change gets a new {@code .vN} suffix. */
public final class EventTypes {
    // gateway-reports: sent by the edge gateway
    public static final String GATEWAY_REGISTERED = "edgefleet.gateway.registered.v1";
    public static final String GATEWAY_HEARTBEAT = "edgefleet.gateway.heartbeat.v1";
    // gateway-reports: the gateway's MQTT 5 will, payload LinkLost — published by the edge broker on the gateway's
    // report topic when its connection was lost and not resumed within the will delay (time = that connection's start)
    public static final String GATEWAY_LINK_LOST = "edgefleet.gateway.link-lost.v1";

    // gateway-reports: results of commands and what the gateway observes, payloads CommandProgress,
    // CommandResult and NodeStatus
    public static final String COMMAND_PROGRESS = "edgefleet.gateway.command.progress.v1";
    public static final String COMMAND_COMPLETED = "edgefleet.gateway.command.completed.v1";
    public static final String NODE_OBSERVED = "edgefleet.gateway.node.observed.v1";
    // gateway-reports: the answer to read-node-console, payload NodeConsole
    public static final String NODE_CONSOLE = "edgefleet.gateway.node.console.v1";

    // gateway-reports: sent by the edge bridge itself (key and subject = the bridge's MQTT client id, tenant
    // BridgeLink.PLATFORM_TENANT), payload BridgeLink: whether it is linked to the edge broker, every few seconds and
    // at each change. Not a gateway report: the bridge drops this type on a device's report topic
    public static final String BRIDGE_LINK = "edgefleet.bridge.link.v1";

    // gateway-commands: sent to one appliance's gateway (key and subject = appliance uid), payload NodeCommand
    public static final String CREATE_NODE = "edgefleet.gateway.command.create-node.v1";
    public static final String DELETE_NODE = "edgefleet.gateway.command.delete-node.v1";
    public static final String START_NODE = "edgefleet.gateway.command.start-node.v1";
    public static final String STOP_NODE = "edgefleet.gateway.command.stop-node.v1";
    public static final String CLEANUP_CLUSTER = "edgefleet.gateway.command.cleanup-cluster.v1";
    // gateway-commands sent by cluster-service, payload NodeConsoleRequest: a read, answered at once (beside the
    // queue of node commands) with a NODE_CONSOLE report; not recorded, a repeat is simply read again
    public static final String READ_NODE_CONSOLE = "edgefleet.gateway.command.read-node-console.v1";
    // gateway-commands sent by policy-service, payload NodeTask; answered like node commands, the
    // result's CommandResult.output holding the scan findings, the archive or the patch outcome
    public static final String SCAN_NODE = "edgefleet.gateway.command.scan-node.v1";
    public static final String BACKUP_NODE = "edgefleet.gateway.command.backup-node.v1";
    public static final String RESTORE_NODE = "edgefleet.gateway.command.restore-node.v1";
    public static final String PATCH_NODE = "edgefleet.gateway.command.patch-node.v1";

    // cluster-events: sent by cluster-service (key and subject = cluster id). Payload ClusterSnapshot ...
    public static final String CLUSTER_CREATED = "edgefleet.cluster.created.v1";
    public static final String CLUSTER_STATUS_CHANGED = "edgefleet.cluster.status-changed.v1";
    public static final String CLUSTER_UPDATED = "edgefleet.cluster.updated.v1";
    public static final String CLUSTER_DELETED = "edgefleet.cluster.deleted.v1";
    // ... and ClusterTask: every provisioning step as it starts and ends
    public static final String CLUSTER_TASK = "edgefleet.cluster.task.v1";
    // ... and the answer to an OS patch request of policy-service, payload OsPatchFinished
    public static final String OS_PATCH_FINISHED = "edgefleet.cluster.os-patch-finished.v1";
    // ... and a rollout's scan in the health gate, asked of policy-service (key and subject = cluster id), payload
    // ScanRequested
    public static final String SCAN_REQUESTED = "edgefleet.cluster.scan-requested.v1";
    // ... and rollouts (key and subject = rollout id), payload RolloutSnapshot
    public static final String ROLLOUT_STARTED = "edgefleet.rollout.started.v1";
    public static final String ROLLOUT_PAUSED = "edgefleet.rollout.paused.v1";
    public static final String ROLLOUT_RESUMED = "edgefleet.rollout.resumed.v1";
    public static final String ROLLOUT_ABORTED = "edgefleet.rollout.aborted.v1";
    public static final String ROLLOUT_PROGRESSED = "edgefleet.rollout.progressed.v1";
    public static final String ROLLOUT_COMPLETED = "edgefleet.rollout.completed.v1";
    /** An operator rolled a FAILED cluster of the rollout back to the profile version it had. */
    public static final String ROLLOUT_ROLLBACK_STARTED = "edgefleet.rollout.rollback-started.v1";

    // appliance-events: sent by appliance-service, payload ApplianceSnapshot
    public static final String APPLIANCE_REGISTERED = "edgefleet.appliance.registered.v1";
    public static final String APPLIANCE_PAIRED = "edgefleet.appliance.paired.v1";
    public static final String APPLIANCE_UNREACHABLE = "edgefleet.appliance.unreachable.v1";
    public static final String APPLIANCE_REACHABLE = "edgefleet.appliance.reachable.v1";
    public static final String APPLIANCE_UPDATED = "edgefleet.appliance.updated.v1";
    public static final String APPLIANCE_DELETED = "edgefleet.appliance.deleted.v1";
    /** A certificate was issued against a registration token (first enrolment or re-enrolment). */
    public static final String APPLIANCE_ENROLLED = "edgefleet.appliance.enrolled.v1";
    /** Every certificate of the appliance was revoked by an operator: it is cut off until it re-enrols. */
    public static final String APPLIANCE_CREDENTIALS_REVOKED = "edgefleet.appliance.credentials-revoked.v1";

    // profile-events: sent by profile-service. Profiles (key and subject = profile id), payload ProfileSnapshot
    public static final String PROFILE_CREATED = "edgefleet.profile.created.v1";
    public static final String PROFILE_UPDATED = "edgefleet.profile.updated.v1";
    public static final String PROFILE_VERSION_CREATED = "edgefleet.profile.version-created.v1";
    public static final String PROFILE_DELETED = "edgefleet.profile.deleted.v1";
    // a layer on a version train moved to a newer release, payload ProfileRelinked
    public static final String PROFILE_RELINKED = "edgefleet.profile.relinked.v1";
    // a registry gained a pack or chart version (key = registry/pack), payload PackVersionPublished
    public static final String PACK_VERSION_PUBLISHED = "edgefleet.pack.version-published.v1";

    // policy-events: sent by policy-service. Policies (key and subject = policy id), payload PolicySnapshot
    public static final String POLICY_CREATED = "edgefleet.policy.created.v1";
    public static final String POLICY_UPDATED = "edgefleet.policy.updated.v1";
    public static final String POLICY_DELETED = "edgefleet.policy.deleted.v1";
    // runs of a policy on one cluster (scan, backup, restore, OS patch; key = cluster id, subject = run id),
    // payload PolicyRunSnapshot, when a run is triggered, skipped, starts and ends
    public static final String POLICY_RUN_CHANGED = "edgefleet.policy.run-changed.v1";
    // a backup archive was deleted from its object store (retention), payload PolicyRunSnapshot
    public static final String BACKUP_EXPIRED = "edgefleet.policy.backup-expired.v1";
    // an OS patch run (mode RELINK) asks cluster-service to roll the cluster onto the newest OS release
    // (key and subject = cluster id), payload OsPatchRequested
    public static final String OS_PATCH_REQUESTED = "edgefleet.policy.os-patch-requested.v1";

    /** What a gateway may send on its report topic; the bridge drops anything else. */
    public static final Set<String> GATEWAY_REPORT_TYPES = Set.of(
            GATEWAY_REGISTERED,
            GATEWAY_HEARTBEAT,
            GATEWAY_LINK_LOST,
            COMMAND_PROGRESS,
            COMMAND_COMPLETED,
            NODE_OBSERVED,
            NODE_CONSOLE);

    private EventTypes() {}
}
