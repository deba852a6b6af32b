package io.edgefleet.console.runs;

import io.edgefleet.sdk.model.Finding;
import io.edgefleet.sdk.model.NodeTaskView;
import io.edgefleet.sdk.model.RunView;
import io.edgefleet.sdk.model.ScanSummary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A scan's report as its page shows it: one row per node, scan and check (the rows policy-service's CSV has), failures
 * first, and the counts of its summary.
 */
public final class ScanFindings {

    /** One finding of one node's scan. */
    public record Row(
            String nodeId,
            String applianceUid,
            String scan,
            String checkId,
            String title,
            String status,
            String evidence) {}

    private ScanFindings() {}

    /** The findings of a scan read whole ({@code getScan}): FAIL, then WARN, ERROR, PASS; by node and check within. */
    public static List<Row> rows(RunView scan) {
        List<Row> rows = new ArrayList<>();
        if (scan.getNodes() == null) {
            return rows;
        }
        for (NodeTaskView node : scan.getNodes()) {
            if (node.getFindings() == null) {
                continue;
            }
            for (Finding f : node.getFindings()) {
                rows.add(new Row(
                        node.getNodeId(),
                        node.getApplianceUid(),
                        node.getScanKind() == null ? "" : node.getScanKind().getValue(),
                        f.getCheckId(),
                        f.getTitle(),
                        f.getStatus() == null ? "" : f.getStatus().getValue(),
                        f.getEvidence()));
            }
        }
        rows.sort(Comparator.comparingInt((Row r) -> severity(r.status()))
                .thenComparing(Row::nodeId, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Row::checkId, Comparator.nullsLast(Comparator.naturalOrder())));
        return rows;
    }

    /** "3 failed, 1 warned, 0 not carried out, 12 passed", or "–" before the scan has a summary (skipped). */
    public static String counts(RunView scan) {
        ScanSummary s = scan.getScan();
        if (s == null || (s.getPass() == null && s.getFail() == null && s.getWarn() == null && s.getError() == null)) {
            return "–";
        }
        return n(s.getFail()) + " failed, " + n(s.getWarn()) + " warned, " + n(s.getError()) + " not carried out, "
                + n(s.getPass()) + " passed";
    }

    private static long n(Long count) {
        return count == null ? 0 : count;
    }

    private static int severity(String status) {
        return switch (status) {
            case "FAIL" -> 0;
            case "WARN" -> 1;
            case "ERROR" -> 2;
            case "PASS" -> 3;
            default -> 4;
        };
    }
}
