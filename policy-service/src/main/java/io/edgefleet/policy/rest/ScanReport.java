package io.edgefleet.policy.rest;

import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunNode;
import io.edgefleet.policy.repository.RunStatus;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A scan's findings, one row per node and check, for download as JSON or CSV. */
@Schema(description = "A scan's report as JSON; the CSV form has the same rows")
public record ScanReport(
        @Schema(required = true, format = "uuid") String scanId,
        @Schema(required = true) String clusterId,
        @Schema(required = true) RunStatus status,
        @Schema(required = true) Instant createdAt,

        @Schema(
                type = SchemaType.STRING,
                format = "date-time",
                nullable = true,
                description = "null while the scan runs")
        Instant finishedAt,

        @Schema(required = true, description = "one row per node and check")
        List<Row> findings) {

    /** One check on one node. */
    @Schema(name = "ScanReportRow")
    public record Row(
            @Schema(required = true) String nodeId,
            @Schema(nullable = true) String applianceUid,
            NodeTask.ScanKind scan,
            @Schema(nullable = true) String checkId,
            @Schema(nullable = true) String title,
            TaskOutput.FindingStatus status,

            @Schema(nullable = true, description = "what the check saw on the node")
            String evidence) {}

    public static ScanReport of(Run run, List<RunNode> nodes) {
        List<Row> rows = new ArrayList<>();
        for (RunNode t : nodes) {
            if (t.output == null || t.output.findings() == null) {
                continue;
            }
            for (TaskOutput.Finding f : t.output.findings()) {
                rows.add(new Row(
                        t.nodeId, t.applianceUid, t.scanKind, f.checkId(), f.title(), f.status(), f.evidence()));
            }
        }
        return new ScanReport(run.id.toString(), run.clusterId, run.status, run.createdAt, run.finishedAt, rows);
    }

    /** RFC 4180 CSV with a header line. */
    public String csv() {
        StringBuilder out = new StringBuilder("node_id,appliance_uid,scan,check_id,title,status,evidence\r\n");
        for (Row r : findings) {
            out.append(String.join(
                            ",",
                            cell(r.nodeId()),
                            cell(r.applianceUid()),
                            cell(name(r.scan())),
                            cell(r.checkId()),
                            cell(r.title()),
                            cell(name(r.status())),
                            cell(r.evidence())))
                    .append("\r\n");
        }
        return out.toString();
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
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
