package io.edgefleet.console.runs;

import io.edgefleet.sdk.model.Finding;
import io.edgefleet.sdk.model.FindingStatus;
import io.edgefleet.sdk.model.NodeTaskStatus;
import io.edgefleet.sdk.model.NodeTaskView;
import io.edgefleet.sdk.model.RunKind;
import io.edgefleet.sdk.model.RunStatus;
import io.edgefleet.sdk.model.RunView;
import io.edgefleet.sdk.model.ScanKind;
import io.edgefleet.sdk.model.ScanSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanFindingsTest {

    @Test
    void everyNodesFindingsAreOneRowEachFailuresFirst() {
        RunView scan = scan().nodes(List.of(
                new NodeTaskView()
                        .nodeId("c1-w0")
                        .applianceUid("site-2")
                        .scanKind(ScanKind.PENETRATION)
                        .status(NodeTaskStatus.SUCCEEDED)
                        .findings(List.of(
                                finding("EF-PT-22", FindingStatus.PASS, "port 22 closed"),
                                finding("EF-PT-2375", FindingStatus.FAIL, "port 2375 open"))),
                new NodeTaskView()
                        .nodeId("c1-m0")
                        .applianceUid("site-1")
                        .scanKind(ScanKind.CONFIGURATION_SECURITY)
                        .status(NodeTaskStatus.SUCCEEDED)
                        .findings(List.of(
                                finding("EF-CS-1", FindingStatus.WARN, "world-readable"),
                                finding("EF-CS-2", FindingStatus.FAIL, "no audit log"))),
                // a node that has not reported yet has no findings
                new NodeTaskView().nodeId("c1-w1").status(NodeTaskStatus.SENT)));

        List<ScanFindings.Row> rows = ScanFindings.rows(scan);

        assertEquals(
                List.of("c1-m0/EF-CS-2", "c1-w0/EF-PT-2375", "c1-m0/EF-CS-1", "c1-w0/EF-PT-22"),
                rows.stream().map(r -> r.nodeId() + "/" + r.checkId()).toList());
        ScanFindings.Row first = rows.get(1);
        assertEquals("site-2", first.applianceUid());
        assertEquals("PENETRATION", first.scan());
        assertEquals("FAIL", first.status());
        assertEquals("port 2375 open", first.evidence());
        assertEquals("title of EF-PT-2375", first.title());
    }

    @Test
    void aScanWithoutNodesHasNoRows() {
        assertTrue(ScanFindings.rows(scan()).isEmpty());
        assertTrue(ScanFindings.rows(scan().nodes(null)).isEmpty());
    }

    @Test
    void countsComeFromTheSummaryAndAreADashWithoutOne() {
        RunView scan = scan().scan(new ScanSummary().pass(12L).fail(3L).warn(1L).error(0L));
        assertEquals("3 failed, 1 warned, 0 not carried out, 12 passed", ScanFindings.counts(scan));
        assertEquals(
                "0 failed, 0 warned, 2 not carried out, 0 passed",
                ScanFindings.counts(scan().scan(new ScanSummary().error(2L))));
        assertEquals("–", ScanFindings.counts(scan()));
        assertEquals("–", ScanFindings.counts(scan().scan(new ScanSummary().kinds(List.of(ScanKind.CONFORMANCE)))));
    }

    private static Finding finding(String check, FindingStatus status, String evidence) {
        return new Finding()
                .checkId(check)
                .title("title of " + check)
                .status(status)
                .evidence(evidence);
    }

    private static RunView scan() {
        return new RunView()
                .id(UUID.randomUUID())
                .kind(RunKind.SCAN)
                .clusterId("c1")
                .status(RunStatus.SUCCEEDED);
    }
}
