package io.edgefleet.policy.repository;

import java.util.UUID;

/**
 * What a run does, fixed when it is triggered (a policy changed later does not change its runs). The part
 * of the run's kind is set.
 *
 * @param restoreFrom RESTORE: the backup put back, and its cluster
 */
public record RunDetail(
        PolicySettings.Scan scan, PolicySettings.Backup backup, PolicySettings.Patch patch, RestoreSource restoreFrom) {

    public record RestoreSource(UUID backupId, String clusterId) {}
}
