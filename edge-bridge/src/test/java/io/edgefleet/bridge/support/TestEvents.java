package io.edgefleet.bridge.support;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.EdgeIdentity;
import io.edgefleet.events.payload.NodeCommand;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/** CloudEvents as the services and gateways send them. */
public final class TestEvents {

    private TestEvents() {}

    /** A unique name usable as a tenant or uid. */
    public static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A delete-node command from cluster-service, with a deadline (null: none). */
    public static CloudEvent command(String tenant, String uid, Instant expiresAt) {
        String commandId = UUID.randomUUID().toString();
        return new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/cluster-service",
                EventTypes.DELETE_NODE,
                uid,
                tenant,
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                EventJson.write(new NodeCommand(commandId, "cluster-1", "node-1", null)),
                expiresAt);
    }

    /** A progress report of a gateway (what it publishes on its report topic). */
    public static CloudEvent report(String tenant, String uid, String type) {
        return new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/edge-gateway/" + uid,
                type,
                uid,
                tenant,
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                EventJson.write(new CommandProgress(
                        UUID.randomUUID().toString(),
                        EventTypes.CREATE_NODE,
                        "cluster-1",
                        "node-1",
                        "started",
                        "creating",
                        Instant.now())));
    }

    public static CloudEvent progress(String tenant, String uid) {
        return report(tenant, uid, EventTypes.COMMAND_PROGRESS);
    }

    /** An event of appliance-service about an appliance whose identity has {@code status}. */
    public static CloudEvent appliance(String tenant, String uid, String type, EdgeIdentity.Status status) {
        EdgeIdentity identity = status == EdgeIdentity.Status.NONE
                ? EdgeIdentity.NONE
                : new EdgeIdentity(status, "0a1b2c", Instant.now().plusSeconds(86_400 * 90L));
        ApplianceSnapshot snapshot = new ApplianceSnapshot(
                uid,
                ApplianceStatus.READY,
                uid,
                Map.of(),
                null,
                null,
                null,
                "online",
                null,
                null,
                null,
                Instant.now(),
                null,
                1,
                identity,
                null,
                null);
        return new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/appliance-service",
                type,
                uid,
                tenant,
                Instant.now(),
                EventJson.write(snapshot));
    }
}
