package io.edgefleet.console.runs;

import io.edgefleet.sdk.model.NodeTaskStatus;
import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.RunKind;
import io.edgefleet.sdk.model.RunStatus;
import io.edgefleet.sdk.model.RunView;

import java.util.List;
import java.util.Locale;

/** What the backup and restore pages offer and show, decided from what policy-service answered (no I/O). */
public final class BackupOffers {

    private BackupOffers() {}

    /**
     * The policies "back up now" can run on {@code clusterId}: policy-service backs a cluster up only by running one
     * of its BACKUP policies on it (POST /v1/policies/{id}/runs), so these are the tenant's BACKUP policies naming it.
     */
    public static List<PolicyView> policiesFor(List<PolicyView> policies, String clusterId) {
        return policies.stream()
                .filter(p -> p.getKind() == PolicyKind.BACKUP)
                .filter(p -> p.getClusterIds() != null && p.getClusterIds().contains(clusterId))
                .toList();
    }

    /** Whether policy-service would restore it: a backup that SUCCEEDED and whose archives retention left alone. */
    public static boolean restorable(RunView backup) {
        return backup.getKind() == RunKind.BACKUP
                && backup.getStatus() == RunStatus.SUCCEEDED
                && (backup.getBackup() == null || backup.getBackup().getDeletedFromStoreAt() == null);
    }

    /** Why a backup cannot be restored, for its confirm page; null when it can. */
    public static String whyNotRestorable(RunView backup) {
        if (restorable(backup)) {
            return null;
        }
        if (backup.getStatus() == RunStatus.SUCCEEDED || backup.getStatus() == RunStatus.EXPIRED) {
            return "Its archives were deleted by the policy's retention.";
        }
        return "Only a backup that succeeded can be restored; this one is " + backup.getStatus() + ".";
    }

    /** Still under way: its page follows it live. */
    public static boolean live(RunView run) {
        return run.getStatus() == RunStatus.RUNNING;
    }

    /** Of a run's node tasks, how many are done (succeeded, failed or skipped): "1 of 2 nodes done". */
    public static String progress(RunView run) {
        if (run.getNodes() == null || run.getNodes().isEmpty()) {
            return "no node tasks";
        }
        long done = run.getNodes().stream()
                .filter(n -> n.getStatus() == NodeTaskStatus.SUCCEEDED
                        || n.getStatus() == NodeTaskStatus.FAILED
                        || n.getStatus() == NodeTaskStatus.SKIPPED)
                .count();
        return done + " of " + run.getNodes().size() + " nodes done";
    }

    /** A size in bytes as people read it: "512 B", "1.5 KiB", "20.0 MiB"; "–" when not known yet. */
    public static String size(Long bytes) {
        if (bytes == null) {
            return "–";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
