package io.edgefleet.events.payload;

import java.time.Instant;
import java.util.Map;

/**
 * Payload of every event on {@code appliance-events}: the appliance's state after the change, so a
 * consumer's projection is a plain upsert (and a delete for {@code appliance.deleted}).
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
        long version) {
}
