package io.edgefleet.policy.rest;

import io.edgefleet.events.payload.PolicyKind;
import io.edgefleet.policy.repository.Policy;
import io.edgefleet.policy.repository.PolicySettings;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A policy as the API shows it: the store's secret key is never returned, only whether one is set. */
@Schema(description = "A policy; exactly the settings of its kind are set (scan, backup or patch)")
public record PolicyView(
        @Schema(required = true, format = "uuid") String id,
        @Schema(required = true) String name,
        @Schema(required = true) PolicyKind kind,

        @Schema(description = "absent: the policy runs on demand only")
        Schedule schedule,

        @Schema(required = true) List<String> clusterIds,
        PolicySettings.Scan scan,
        BackupView backup,
        PolicySettings.Patch patch,

        @Schema(
                type = SchemaType.STRING,
                format = "date-time",
                nullable = true,
                description = "the next scheduled run; null without a schedule")
        Instant nextRunAt,

        @Schema(required = true) Instant createdAt,
        @Schema(required = true) Instant updatedAt) {

    @Schema(name = "PolicySchedule")
    public record Schedule(
            @Schema(required = true) String cron,
            @Schema(required = true) String timeZone) {}

    public record BackupView(
            StoreView store, List<String> paths, boolean includeConfiguration, PolicySettings.Retention retention) {}

    public record StoreView(
            String endpoint,
            String region,
            String bucket,

            @Schema(type = SchemaType.STRING, nullable = true)
            String prefix,

            String accessKeyId,

            @Schema(description = "whether a secret key is stored (it is never returned)")
            boolean secretAccessKeySet) {}

    public static PolicyView of(Policy p) {
        PolicySettings.Backup b = p.settings.backup();
        BackupView backup = b == null
                ? null
                : new BackupView(
                        new StoreView(
                                b.store().endpoint(),
                                b.store().region(),
                                b.store().bucket(),
                                b.store().prefix(),
                                b.store().accessKeyId(),
                                p.storeSecret != null),
                        b.paths(),
                        b.includeConfiguration(),
                        b.retention());
        return new PolicyView(
                p.id.toString(),
                p.name,
                p.kind,
                p.cron == null ? null : new Schedule(p.cron, p.timeZone),
                p.clusterIds(),
                p.settings.scan(),
                backup,
                p.settings.patch(),
                p.nextRunAt,
                p.createdAt,
                p.updatedAt);
    }
}
