package io.edgefleet.policy.rest;

import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput.FindingStatus;
import io.edgefleet.policy.repository.RunStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScanReportTest {

    @Test
    void csvQuotesEveryCellAndDisarmsFormulas() {
        ScanReport report = new ScanReport(
                "s1",
                "c1",
                RunStatus.SUCCEEDED,
                null,
                null,
                List.of(
                        new ScanReport.Row(
                                "n1",
                                "app-1",
                                NodeTask.ScanKind.CONFIGURATION_SECURITY,
                                "EF-CS-1.1",
                                "bootstrap \"mode\"",
                                FindingStatus.FAIL,
                                "mode 0644, owner 0:0"),
                        new ScanReport.Row(
                                "n1",
                                "app-1",
                                NodeTask.ScanKind.PENETRATION,
                                "EF-PT-2375",
                                "Docker API",
                                FindingStatus.FAIL,
                                "=HYPERLINK(\"x\")")));
        assertEquals(
                "node_id,appliance_uid,scan,check_id,title,status,evidence\r\n"
                        + "\"n1\",\"app-1\",\"CONFIGURATION_SECURITY\",\"EF-CS-1.1\",\"bootstrap \"\"mode\"\"\",\"FAIL\",\"mode 0644, owner 0:0\"\r\n"
                        + "\"n1\",\"app-1\",\"PENETRATION\",\"EF-PT-2375\",\"Docker API\",\"FAIL\",\"'=HYPERLINK(\"\"x\"\")\"\r\n",
                report.csv());
        assertEquals("", ScanReport.cell(null));
    }
}
