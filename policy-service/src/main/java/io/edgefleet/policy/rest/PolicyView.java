package io.edgefleet.policy.rest;

import io.edgefleet.events.payload.PolicyKind;
import io.edgefleet.policy.repository.Policy;
import io.edgefleet.policy.repository.PolicySettings;

import java.time.Instant;
import java.util.List;

/** A policy as the API shows it: the store's secret key is never returned, only whether one is set. */
public record PolicyView(String id, String name, PolicyKind kind, Schedule schedule, List<String> clusterIds,
                         PolicySettings.Scan scan, BackupView backup, PolicySettings.Patch patch, Instant nextRunAt,
                         Instant createdAt, Instant updatedAt) {

    public record Schedule(String cron, String timeZone) {
    }

    public record BackupView(StoreView store, List<String> paths, boolean includeConfiguration, PolicySettings.Retention retention) {
    }

    public record StoreView(String endpoint, String region, String bucket, String prefix, String accessKeyId, boolean secretAccessKeySet) {
    }

    public static PolicyView of(Policy p) {
        PolicySettings.Backup b = p.settings.backup();
        BackupView backup = b == null ? null : new BackupView(new StoreView(b.store().endpoint(), b.store().region(), b.store().bucket(),
                b.store().prefix(), b.store().accessKeyId(), p.storeSecret != null), b.paths(), b.includeConfiguration(), b.retention());
        return new PolicyView(p.id.toString(), p.name, p.kind, p.cron == null ? null : new Schedule(p.cron, p.timeZone),
                p.clusterIds(), p.settings.scan(), backup, p.settings.patch(), p.nextRunAt, p.createdAt, p.updatedAt);
    }
}
