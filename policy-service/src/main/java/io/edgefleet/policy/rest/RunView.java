package io.edgefleet.policy.rest;

import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.policy.repository.OsPatchResult;
import io.edgefleet.policy.repository.PatchMode;
import io.edgefleet.policy.repository.PolicySettings;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunNode;
import io.edgefleet.policy.repository.RunStatus;
import io.edgefleet.policy.repository.RunTrigger;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A run (scan, backup, restore, OS patch) with its per-node tasks; lists leave the nodes out. Scans add
 * counts of their findings, backups where the archives are, restores which backup they put back.
 */
@Schema(
        description =
                "A run of a policy or on demand: a scan, backup, restore or OS patch on one cluster. Exactly the summary "
                        + "of its kind is set (scan, backup, restore or osPatch); nodes only when one run is read, not in lists.")
public record RunView(
        @Schema(required = true, format = "uuid") String id,
        @Schema(required = true) RunKind kind,

        @Schema(nullable = true, format = "uuid", description = "the policy run; null for scans and restores on demand")
        String policyId,

        @Schema(nullable = true) String policyName,
        @Schema(required = true) String clusterId,
        @Schema(required = true) RunTrigger trigger,
        @Schema(required = true) RunStatus status,

        @Schema(nullable = true, description = "why it was skipped or failed")
        String reason,

        @Schema(required = true) Instant createdAt,

        @Schema(type = SchemaType.STRING, format = "date-time", nullable = true, description = "null while it runs")
        Instant finishedAt,

        ScanSummary scan,
        BackupSummary backup,
        RestoreSummary restore,
        OsPatchSummary osPatch,

        @Schema(description = "each node's task; left out of lists")
        List<NodeTaskView> nodes) {

    /**
     * OS patches: the mode; for RELINK, cluster-service's answer once it came (the OS release before and after,
     * and what happened).
     */
    public record OsPatchSummary(
            @Schema(required = true) PatchMode mode,

            @Schema(nullable = true, description = "RELINK: the OS release before")
            String fromVersion,

            @Schema(nullable = true, description = "RELINK: the OS release after")
            String toVersion,

            @Schema(nullable = true, description = "RELINK: cluster-service's answer")
            String message) {}

    /** @param error checks the gateway could not carry out (e.g. the node unreachable): neither passed nor failed */
    public record ScanSummary(
            List<NodeTask.ScanKind> kinds,
            long pass,
            long fail,
            long warn,

            @Schema(description = "checks that could not be carried out (e.g. the node was unreachable)")
            long error) {}

    /** @param location {@code s3://bucket/prefix} at {@code endpoint}; @param sizeBytes all archives together */
    public record BackupSummary(
            @Schema(required = true, description = "the object store's URL")
            String endpoint,

            @Schema(required = true, description = "s3://bucket/prefix/ of the archives")
            String location,

            @Schema(nullable = true, description = "all archives together; null until they are uploaded")
            Long sizeBytes,

            @Schema(description = "left out of lists") List<ArchiveView> archives,

            @Schema(
                    type = SchemaType.STRING,
                    format = "date-time",
                    nullable = true,
                    description = "when retention deleted the archives (status EXPIRED)")
            Instant deletedFromStoreAt) {}

    public record ArchiveView(String nodeId, String objectKey, long sizeBytes, String sha256) {}

    public record RestoreSummary(
            @Schema(required = true, format = "uuid") String backupId,

            @Schema(required = true, description = "the cluster the backup was taken of")
            String sourceClusterId) {}

    @Schema(description = "The task of one node: its status, the last step the gateway reported, and what it produced")
    public record NodeTaskView(
            @Schema(required = true) String nodeId,
            @Schema(nullable = true) String poolName,
            @Schema(nullable = true) String applianceUid,

            @Schema(description = "scans: which scan this task runs")
            NodeTask.ScanKind scanKind,

            @Schema(required = true) RunNode.NodeTaskStatus status,

            @Schema(
                    nullable = true,
                    description = "the gateway's last progress step (accepted, started, archiving, "
                            + "uploading, downloading, verifying, restoring, patching, rebooting, ...), then completed")
            String step,

            @Schema(nullable = true) String message,

            @Schema(type = SchemaType.STRING, format = "date-time", nullable = true)
            Instant sentAt,

            @Schema(type = SchemaType.STRING, format = "date-time", nullable = true)
            Instant finishedAt,

            @Schema(description = "scans: the node's findings")
            List<TaskOutput.Finding> findings,

            @Schema(description = "backups: the node's archive")
            TaskOutput.Archive archive,

            @Schema(description = "OS patches (NODE_COMMAND): what the command did")
            TaskOutput.PatchOutcome patch) {

        static NodeTaskView of(RunNode t) {
            TaskOutput out = t.output;
            return new NodeTaskView(
                    t.nodeId,
                    t.poolName,
                    t.applianceUid,
                    t.scanKind,
                    t.status,
                    t.step,
                    t.message,
                    t.sentAt,
                    t.finishedAt,
                    out == null ? null : out.findings(),
                    out == null ? null : out.archive(),
                    out == null ? null : out.patch());
        }
    }

    /** @param nodes null for list items (their tasks are read only where needed) */
    public static RunView of(Run r, List<RunNode> nodes) {
        ScanSummary scan = null;
        if (r.kind == RunKind.SCAN) {
            List<TaskOutput.Finding> findings = nodes == null ? List.of() : findings(nodes);
            scan = new ScanSummary(
                    r.detail.scan().kinds(),
                    count(findings, TaskOutput.FindingStatus.PASS),
                    count(findings, TaskOutput.FindingStatus.FAIL),
                    count(findings, TaskOutput.FindingStatus.WARN),
                    count(findings, TaskOutput.FindingStatus.ERROR));
        }
        BackupSummary backup = null;
        if (r.kind == RunKind.BACKUP) {
            PolicySettings.StoreLocation s = r.detail.backup().store();
            List<ArchiveView> archives = nodes == null
                    ? null
                    : nodes.stream()
                            .filter(t -> t.output != null && t.output.archive() != null)
                            .map(t -> new ArchiveView(
                                    t.nodeId,
                                    t.output.archive().objectKey(),
                                    t.output.archive().sizeBytes(),
                                    t.output.archive().sha256()))
                            .toList();
            String prefix = s.prefix() == null ? "" : s.prefix() + "/";
            backup = new BackupSummary(
                    s.endpoint(),
                    "s3://" + s.bucket() + "/" + prefix + r.tenant + "/" + r.clusterId + "/" + r.id + "/",
                    r.sizeBytes,
                    archives,
                    r.objectsDeletedAt);
        }
        RestoreSummary restore = r.kind == RunKind.RESTORE
                ? new RestoreSummary(
                        r.detail.restoreFrom().backupId().toString(),
                        r.detail.restoreFrom().clusterId())
                : null;
        OsPatchSummary osPatch = null;
        if (r.kind == RunKind.OS_PATCH && r.detail.patch() != null) {
            OsPatchResult result = r.osPatch;
            osPatch = new OsPatchSummary(
                    r.detail.patch().mode(),
                    result == null ? null : result.fromVersion(),
                    result == null ? null : result.toVersion(),
                    result == null ? null : result.message());
        }
        return new RunView(
                r.id.toString(),
                r.kind,
                r.policyId == null ? null : r.policyId.toString(),
                r.policyName,
                r.clusterId,
                r.trigger,
                r.status,
                r.reason,
                r.createdAt,
                r.finishedAt,
                scan,
                backup,
                restore,
                osPatch,
                nodes == null ? null : nodes.stream().map(NodeTaskView::of).toList());
    }

    static List<TaskOutput.Finding> findings(List<RunNode> nodes) {
        return nodes.stream()
                .filter(t -> t.output != null && t.output.findings() != null)
                .flatMap(t -> t.output.findings().stream())
                .filter(Objects::nonNull)
                .toList();
    }

    private static long count(List<TaskOutput.Finding> findings, TaskOutput.FindingStatus status) {
        return findings.stream().filter(f -> f.status() == status).count();
    }
}
