package io.edgefleet.appliance.rest;

import io.edgefleet.appliance.repository.Appliance;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.EdgeIdentity;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.ProxySettings;

import java.time.Instant;
import java.util.Map;

/**
 * An appliance as the API shows it. {@code name} is the value of the {@code name} tag; {@code identity} is its edge
 * identity as on appliance-events (NONE, ENROLLED or REVOKED, with the newest certificate's serial and expiry; past
 * {@code certificateExpiresAt} it is expired whatever the status says).
 */
public record ApplianceView(
        String uid,
        String name,
        ApplianceStatus status,
        Map<String, String> tags,
        ApplianceKind kind,
        Inventory inventory,
        String gatewayVersion,
        String mode,
        String podCidr,
        String serviceCidr,
        ProxySettings proxy,
        Instant lastSeenAt,
        Instant pairedAt,
        String usedByCluster,
        Instant createdAt,
        Instant updatedAt,
        EdgeIdentity identity) {

    static ApplianceView of(Appliance a) {
        return new ApplianceView(a.uid, a.name(), a.status, a.tags, a.kind, a.inventory, a.gatewayVersion, a.mode,
                a.podCidr, a.serviceCidr, a.proxy, a.lastSeenAt, a.pairedAt, a.usedByCluster, a.createdAt, a.updatedAt, a.identity());
    }
}
