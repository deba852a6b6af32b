package io.edgefleet.appliance.repository;

import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.EdgeIdentity;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.events.payload.UnreachableReason;
import io.edgefleet.kit.rest.Validator;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/** An appliance of one tenant, registered by an operator and/or discovered through its gateway's reports. */
@Entity
@Table(name = "appliance")
public class Appliance extends PanacheEntityBase {

    /** The tag whose value is shown as the appliance's display name. */
    public static final String NAME_TAG = "name";
    /** Letters, digits, '.', '_', '-'; starts and ends with a letter or digit (fits labels, names and paths). */
    public static final Pattern UID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");

    public static final int MAX_UID_LENGTH = 64;

    /** Adds a problem to {@code v} when {@code uid} is not a valid appliance uid; whether it is. */
    public static boolean checkUid(String uid, String field, Validator v) {
        return v.text(
                uid,
                field,
                1,
                MAX_UID_LENGTH,
                UID,
                "may contain only letters, digits, '.', '_' and '-', and must start and end with a letter or digit");
    }

    @Id
    public UUID id;

    public String tenant;
    public String uid;
    /** False while the appliance was only seen through gateway reports. */
    public boolean registered;

    @Enumerated(EnumType.STRING)
    public ApplianceStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> tags = new TreeMap<>();

    @Enumerated(EnumType.STRING)
    public ApplianceKind kind;

    @JdbcTypeCode(SqlTypes.JSON)
    public Inventory inventory;

    @Column(name = "gateway_version")
    public String gatewayVersion;

    public String mode;

    @Column(name = "pod_cidr")
    public String podCidr;

    @Column(name = "service_cidr")
    public String serviceCidr;

    @JdbcTypeCode(SqlTypes.JSON)
    public ProxySettings proxy;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    @Column(name = "last_report_at")
    public Instant lastReportAt;

    /** When the gateway's newest MQTT connection began, as its reports said (a link-lost will of an earlier is stale). */
    @Column(name = "connected_at")
    public Instant connectedAt;

    /** The connection a link-lost will said was lost (null: none pending); the sweep decides ({@code LinkLoss}). */
    @Column(name = "lost_connection")
    public Instant lostConnection;

    /** When that will was taken (this service's clock). */
    @Column(name = "link_lost_at")
    public Instant linkLostAt;

    /**
     * With a pending loss: when the broker saw that connection drop, estimated (the bridge's relay of the will, its
     * Kafka timestamp, minus its will delay).
     */
    @Column(name = "link_dropped_at")
    public Instant linkDroppedAt;

    /** Why it is UNREACHABLE; null while it is not (and for one that turned UNREACHABLE before V8). */
    @Enumerated(EnumType.STRING)
    @Column(name = "unreachable_reason")
    public UnreachableReason unreachableReason;

    /** LINK_LOST: when the connection dropped (estimated); HEARTBEATS_MISSED: the last report. Null with no reason. */
    @Column(name = "unreachable_since")
    public Instant unreachableSince;

    @Column(name = "paired_at")
    public Instant pairedAt;

    @Column(name = "used_by_cluster")
    public String usedByCluster;
    /** The edge identity: NONE until the first enrolment, then the newest certificate's serial and expiry. */
    @Enumerated(EnumType.STRING)
    @Column(name = "identity_status")
    public EdgeIdentity.Status identityStatus = EdgeIdentity.Status.NONE;

    @Column(name = "certificate_serial")
    public String certificateSerial;

    @Column(name = "certificate_expires_at")
    public Instant certificateExpiresAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    /**
     * An appliance seen again, with nothing else changed: its id, the time of its newest report and the newest
     * connection start its reports gave (null: none).
     */
    public record Seen(UUID id, Instant reportTime, Instant connectedAt) {}

    /**
     * Records that the appliances were seen at {@code now}, in one statement that writes only the times (and the
     * version, as any change does): a heartbeat that changes nothing does not rewrite the row's inventory and tags.
     */
    public static Uni<Integer> markSeen(List<Seen> seen, Instant now) {
        if (seen.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < seen.size(); i++) {
            values.append(i == 0 ? "" : ", ")
                    .append("(cast(:id")
                    .append(i)
                    .append(" as uuid), cast(:reported")
                    .append(i)
                    .append(" as timestamptz), cast(:connected")
                    .append(i)
                    .append(" as timestamptz))");
        }
        // greatest() skips nulls: a report without a connection time keeps the one known
        String sql = "update appliance as a set last_seen_at = :now, updated_at = :now, last_report_at = v.reported,"
                + " connected_at = greatest(a.connected_at, v.connected), version = a.version + 1"
                + " from (values " + values + ") as v(id, reported, connected) where a.id = v.id";
        return Panache.getSession().chain(session -> {
            var update = session.createNativeQuery(sql).setParameter("now", now);
            for (int i = 0; i < seen.size(); i++) {
                update.setParameter("id" + i, seen.get(i).id())
                        .setParameter("reported" + i, seen.get(i).reportTime())
                        .setParameter("connected" + i, seen.get(i).connectedAt());
            }
            return update.executeUpdate();
        });
    }

    public static Appliance newRow(String tenant, String uid, Instant now) {
        Appliance a = new Appliance();
        a.id = UUID.randomUUID();
        a.tenant = tenant;
        a.uid = uid;
        a.createdAt = now;
        a.updatedAt = now;
        return a;
    }

    public String name() {
        return tags == null ? null : tags.get(NAME_TAG);
    }

    /** Takes over what the gateway reported. Returns whether anything but the times changed. */
    public boolean applyReport(GatewayReport report, Instant reportTime, Instant now) {
        boolean changed = changedBy(report);
        kind = report.kind();
        inventory = report.inventory();
        gatewayVersion = report.gatewayVersion();
        mode = report.mode();
        podCidr = report.podCidr();
        serviceCidr = report.serviceCidr();
        proxy = report.proxy();
        if (report.connectedAt() != null
                && (connectedAt == null || report.connectedAt().isAfter(connectedAt))) {
            connectedAt = report.connectedAt();
        }
        lastSeenAt = now;
        lastReportAt = reportTime;
        updatedAt = now;
        return changed;
    }

    /** Whether {@code report} says anything but that the gateway is there (what it reports differs from the row). */
    public boolean changedBy(GatewayReport report) {
        return kind != report.kind()
                || !Objects.equals(inventory, report.inventory())
                || !Objects.equals(gatewayVersion, report.gatewayVersion())
                || !Objects.equals(mode, report.mode())
                || !Objects.equals(podCidr, report.podCidr())
                || !Objects.equals(serviceCidr, report.serviceCidr())
                || !Objects.equals(proxy, report.proxy());
    }

    public EdgeIdentity identity() {
        return identityStatus == null || identityStatus == EdgeIdentity.Status.NONE
                ? EdgeIdentity.NONE
                : new EdgeIdentity(identityStatus, certificateSerial, certificateExpiresAt);
    }

    /** Whether the appliance has or had a certificate (a new one is then a re-enrolment). */
    public boolean everEnrolled() {
        return identity().status() != EdgeIdentity.Status.NONE;
    }

    /** Records a newly issued certificate as the appliance's identity. */
    public void certificateIssued(String serial, Instant expiresAt, Instant now) {
        identityStatus = EdgeIdentity.Status.ENROLLED;
        certificateSerial = serial;
        certificateExpiresAt = expiresAt;
        updatedAt = now;
    }

    /** Every certificate was revoked: cut off until it re-enrols. A never enrolled appliance stays NONE. */
    public void certificatesRevoked(Instant now) {
        if (everEnrolled()) {
            identityStatus = EdgeIdentity.Status.REVOKED;
            updatedAt = now;
        }
    }

    public ApplianceSnapshot snapshot() {
        return new ApplianceSnapshot(
                uid,
                status,
                name(),
                Map.copyOf(tags),
                kind,
                inventory,
                gatewayVersion,
                mode,
                podCidr,
                serviceCidr,
                proxy,
                lastSeenAt,
                usedByCluster,
                version,
                identity(),
                // a reason holds only while UNREACHABLE (the transition clears it; this guards a stale one)
                status == ApplianceStatus.UNREACHABLE ? unreachableReason : null,
                status == ApplianceStatus.UNREACHABLE ? unreachableSince : null);
    }
}
