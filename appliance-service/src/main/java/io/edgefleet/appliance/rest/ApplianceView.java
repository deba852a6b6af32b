package io.edgefleet.appliance.rest;

import io.edgefleet.appliance.repository.Appliance;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.EdgeIdentity;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.events.payload.UnreachableReason;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/**
 * An appliance as the API shows it. {@code name} is the value of the {@code name} tag; {@code identity} is its edge
 * identity as on appliance-events (NONE, ENROLLED or REVOKED, with the newest certificate's serial and expiry; past
 * {@code certificateExpiresAt} it is expired whatever the status says). While UNREACHABLE, {@code unreachableReason} and
 * {@code unreachableSince} say why and since when.
 */
public record ApplianceView(
        @Schema(required = true) String uid,

        @Schema(nullable = true, description = "the `name` tag; null without one")
        String name,

        @Schema(required = true) ApplianceStatus status,
        @Schema(required = true) Map<String, String> tags,

        @Schema(nullable = true, description = "null until its gateway reports")
        ApplianceKind kind,

        @Schema(nullable = true, description = "null until its gateway reports")
        Inventory inventory,

        @Schema(nullable = true, description = "null until its gateway reports")
        String gatewayVersion,

        @Schema(nullable = true, description = "null until its gateway reports")
        String mode,

        @Schema(nullable = true, description = "null until its gateway reports")
        String podCidr,

        @Schema(nullable = true, description = "null until its gateway reports")
        String serviceCidr,

        @Schema(nullable = true, description = "null until its gateway reports, or without a proxy")
        ProxySettings proxy,

        @Schema(nullable = true, description = "the last report or heartbeat; null before the first")
        Instant lastSeenAt,

        @Schema(nullable = true, description = "null while UNPAIRED")
        Instant pairedAt,

        @Schema(nullable = true, description = "the cluster that uses it; null when none does")
        String usedByCluster,

        @Schema(required = true) Instant createdAt,
        @Schema(required = true) Instant updatedAt,
        @Schema(required = true) EdgeIdentity identity,

        @Schema(
                nullable = true,
                description = "why it is UNREACHABLE: LINK_LOST (the broker saw its gateway's connection end and"
                        + " it did not come back within the will delay) or HEARTBEATS_MISSED (its gateway stopped"
                        + " reporting); null while not UNREACHABLE (and for one that turned UNREACHABLE before"
                        + " reasons were kept)")
        UnreachableReason unreachableReason,

        @Schema(
                nullable = true,
                description = "with unreachableReason: LINK_LOST, when the broker saw the connection drop"
                        + " (estimated: when the edge bridge relayed the link-lost announcement, minus its will"
                        + " delay);"
                        + " HEARTBEATS_MISSED, the last report, heartbeats missed since")
        Instant unreachableSince) {

    static ApplianceView of(Appliance a) {
        boolean unreachable = a.status == ApplianceStatus.UNREACHABLE;
        return new ApplianceView(
                a.uid,
                a.name(),
                a.status,
                a.tags,
                a.kind,
                a.inventory,
                a.gatewayVersion,
                a.mode,
                a.podCidr,
                a.serviceCidr,
                a.proxy,
                a.lastSeenAt,
                a.pairedAt,
                a.usedByCluster,
                a.createdAt,
                a.updatedAt,
                a.identity(),
                unreachable ? a.unreachableReason : null,
                unreachable ? a.unreachableSince : null);
    }
}
