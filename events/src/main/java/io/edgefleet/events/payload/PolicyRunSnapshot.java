package io.edgefleet.events.payload;

import java.time.Instant;

/**
 * A run of a policy on one cluster, or a restore.
 *
 * @param kind     SCAN, BACKUP, RESTORE or OS_PATCH
 * @param policyId null for restores
 * @param trigger  SCHEDULED or ON_DEMAND
 * @param status   SKIPPED, RUNNING, SUCCEEDED, FAILED (and EXPIRED for a backup deleted by retention)
 * @param reason   why it was skipped or failed, else null
 */
public record PolicyRunSnapshot(
        String id,
        String kind,
        String policyId,
        String clusterId,
        String trigger,
        String status,
        String reason,
        Instant startedAt,
        Instant finishedAt) {}
