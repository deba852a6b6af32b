package io.edgefleet.events.payload;

import java.time.Instant;
import java.util.Map;

/**
 * Payload of every event on {@code appliance-events}: the appliance's state after the change, so a
 * consumer's projection is a plain upsert (and a delete for {@code appliance.deleted}). {@code identity}
 * tells whether the appliance may use the edge link (the bridge's access sync cuts off REVOKED and deleted ones).
 * {@code unreachableReason} and {@code unreachableSince} tell a lost link (LINK_LOST, since the connection dropped)
 * from a gateway gone quiet (HEARTBEATS_MISSED, since its last report); both null unless UNREACHABLE, and in events
 * written before they were added (or for an appliance that turned UNREACHABLE before appliance-service kept reasons).
 */
public record ApplianceSnapshot(
        String uid,
        ApplianceStatus status,
        String name,
        Map<String, String> tags,
        ApplianceKind kind,
        Inventory inventory,
        String gatewayVersion,
        String mode,
        String podCidr,
        String serviceCidr,
        ProxySettings proxy,
        Instant lastSeenAt,
        String usedByCluster,
        long version,
        EdgeIdentity identity,
        UnreachableReason unreachableReason,
        Instant unreachableSince) {

    public ApplianceSnapshot {
        identity = identity == null ? EdgeIdentity.NONE : identity;
    }
}
