package io.edgefleet.policy.rest;

import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.policy.repository.OsPatchResult;
import io.edgefleet.policy.repository.PatchMode;
import io.edgefleet.policy.repository.PolicySettings;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunNode;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A run (scan, backup, restore, OS patch) with its per-node tasks; lists leave the nodes out. Scans add
 * counts of their findings, backups where the archives are, restores which backup they put back.
 */
public record RunView(String id, RunKind kind, String policyId, String policyName, String clusterId, String trigger,
                      String status, String reason, Instant createdAt, Instant finishedAt, ScanSummary scan,
                      BackupSummary backup, RestoreSummary restore, OsPatchSummary osPatch, List<NodeTaskView> nodes) {

    /**
     * OS patches: the mode; for RELINK, cluster-service's answer once it came (the OS release before and after,
     * and what happened).
     */
    public record OsPatchSummary(PatchMode mode, String fromVersion, String toVersion, String message) {
    }

    public record ScanSummary(List<NodeTask.ScanKind> kinds, long pass, long fail, long warn) {
    }

    /** @param location {@code s3://bucket/prefix} at {@code endpoint}; @param sizeBytes all archives together */
    public record BackupSummary(String endpoint, String location, Long sizeBytes, List<ArchiveView> archives,
                                Instant deletedFromStoreAt) {
    }

    public record ArchiveView(String nodeId, String objectKey, long sizeBytes, String sha256) {
    }

    public record RestoreSummary(String backupId, String sourceClusterId) {
    }

    public record NodeTaskView(String nodeId, String poolName, String applianceUid, NodeTask.ScanKind scanKind, String status,
                               String step, String message, Instant sentAt, Instant finishedAt,
                               List<TaskOutput.Finding> findings, TaskOutput.Archive archive, TaskOutput.PatchOutcome patch) {

        static NodeTaskView of(RunNode t) {
            TaskOutput out = t.output;
            return new NodeTaskView(t.nodeId, t.poolName, t.applianceUid, t.scanKind, t.status.name(), t.step, t.message, t.sentAt,
                    t.finishedAt, out == null ? null : out.findings(), out == null ? null : out.archive(), out == null ? null : out.patch());
        }
    }

    /** @param nodes null for list items (their tasks are read only where needed) */
    public static RunView of(Run r, List<RunNode> nodes) {
        ScanSummary scan = null;
        if (r.kind == RunKind.SCAN) {
            List<TaskOutput.Finding> findings = nodes == null ? List.of() : findings(nodes);
            scan = new ScanSummary(r.detail.scan().kinds(), count(findings, TaskOutput.FindingStatus.PASS),
                    count(findings, TaskOutput.FindingStatus.FAIL), count(findings, TaskOutput.FindingStatus.WARN));
        }
        BackupSummary backup = null;
        if (r.kind == RunKind.BACKUP) {
            PolicySettings.StoreLocation s = r.detail.backup().store();
            List<ArchiveView> archives = nodes == null ? null : nodes.stream().filter(t -> t.output != null && t.output.archive() != null)
                    .map(t -> new ArchiveView(t.nodeId, t.output.archive().objectKey(), t.output.archive().sizeBytes(), t.output.archive().sha256()))
                    .toList();
            String prefix = s.prefix() == null ? "" : s.prefix() + "/";
            backup = new BackupSummary(s.endpoint(), "s3://" + s.bucket() + "/" + prefix + r.tenant + "/" + r.clusterId + "/" + r.id + "/",
                    r.sizeBytes, archives, r.objectsDeletedAt);
        }
        RestoreSummary restore = r.kind == RunKind.RESTORE
                ? new RestoreSummary(r.detail.restoreFrom().backupId().toString(), r.detail.restoreFrom().clusterId()) : null;
        OsPatchSummary osPatch = null;
        if (r.kind == RunKind.OS_PATCH && r.detail.patch() != null) {
            OsPatchResult result = r.osPatch;
            osPatch = new OsPatchSummary(r.detail.patch().mode(), result == null ? null : result.fromVersion(),
                    result == null ? null : result.toVersion(), result == null ? null : result.message());
        }
        return new RunView(r.id.toString(), r.kind, r.policyId == null ? null : r.policyId.toString(), r.policyName, r.clusterId,
                r.trigger.name(), r.status.name(), r.reason, r.createdAt, r.finishedAt, scan, backup, restore, osPatch,
                nodes == null ? null : nodes.stream().map(NodeTaskView::of).toList());
    }

    static List<TaskOutput.Finding> findings(List<RunNode> nodes) {
        return nodes.stream().filter(t -> t.output != null && t.output.findings() != null)
                .flatMap(t -> t.output.findings().stream()).filter(Objects::nonNull).toList();
    }

    private static long count(List<TaskOutput.Finding> findings, TaskOutput.FindingStatus status) {
        return findings.stream().filter(f -> f.status() == status).count();
    }
}
