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
 * @param requestId the {@link ScanRequested} this run answers (a rollout's scan gate), else null (absent from older
 *                  producers)
 * @param scan      a SCAN run that ended: its checks by outcome; else null
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
        Instant finishedAt,
        String requestId,
        ScanCounts scan) {}
