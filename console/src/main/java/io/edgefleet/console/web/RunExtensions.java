package io.edgefleet.console.web;

import io.edgefleet.console.runs.BackupOffers;
import io.edgefleet.console.runs.ScanFindings;
import io.edgefleet.sdk.model.RunKind;
import io.edgefleet.sdk.model.RunView;
import io.quarkus.qute.TemplateExtension;

/** What the pages show of a run ({@code run.counts}, {@code run.size}, {@code run.page}), from {@code runs}. */
@TemplateExtension
public class RunExtensions {

    /** A scan's counts: "1 failed, 0 warned, 0 not carried out, 5 passed". */
    static String counts(RunView run) {
        return ScanFindings.counts(run);
    }

    /** A backup's size, "–" until its archives are uploaded. */
    static String size(RunView run) {
        return BackupOffers.size(
                run.getBackup() == null ? null : run.getBackup().getSizeBytes());
    }

    static boolean restorable(RunView run) {
        return BackupOffers.restorable(run);
    }

    /** The console's page of the run: a scan's report, a backup, a restore's progress (OS patches have none). */
    static String page(RunView run) {
        if (run.getKind() == RunKind.SCAN) {
            return "/scans/" + run.getId();
        }
        if (run.getKind() == RunKind.BACKUP) {
            return "/backups/" + run.getId();
        }
        if (run.getKind() == RunKind.RESTORE) {
            return "/restores/" + run.getId();
        }
        return null;
    }
}
