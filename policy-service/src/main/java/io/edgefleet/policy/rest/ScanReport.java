package io.edgefleet.policy.rest;

import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A scan's findings, one row per node and check, for download as JSON or CSV. */
public record ScanReport(String scanId, String clusterId, String status, Instant createdAt, Instant finishedAt, List<Row> findings) {

    public record Row(String nodeId, String applianceUid, String scan, String checkId, String title, String status, String evidence) {
    }

    public static ScanReport of(Run run, List<RunNode> nodes) {
        List<Row> rows = new ArrayList<>();
        for (RunNode t : nodes) {
            if (t.output == null || t.output.findings() == null) {
                continue;
            }
            for (TaskOutput.Finding f : t.output.findings()) {
                rows.add(new Row(t.nodeId, t.applianceUid, t.scanKind == null ? null : t.scanKind.name(), f.checkId(), f.title(),
                        f.status() == null ? null : f.status().name(), f.evidence()));
            }
        }
        return new ScanReport(run.id.toString(), run.clusterId, run.status.name(), run.createdAt, run.finishedAt, rows);
    }

    /** RFC 4180 CSV with a header line. */
    public String csv() {
        StringBuilder out = new StringBuilder("node_id,appliance_uid,scan,check_id,title,status,evidence\r\n");
        for (Row r : findings) {
            out.append(String.join(",", cell(r.nodeId()), cell(r.applianceUid()), cell(r.scan()), cell(r.checkId()), cell(r.title()),
                    cell(r.status()), cell(r.evidence()))).append("\r\n");
        }
        return out.toString();
    }

    /**
     * Quotes every cell; a cell a spreadsheet would read as a formula (evidence comes from the nodes, which
     * are not trusted) gets a leading apostrophe.
     */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
