package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.TaskOutput.FindingStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conformance scan's file owner check: ids and, on virtual nodes, names as the spec gives them. */
class ConformanceOwnerTest {

    private static final String CONTENT = "x\n";

    private static FileStat stat(String line) {
        return FileStat.parse(line + "|regular file|/etc/app.conf").get("/etc/app.conf");
    }

    private static FindingStatus finding(String owner, FileStat stat) {
        var file = new NodeSpec.NodeFile("/etc/app.conf", CONTENT, owner, "0644");
        return ConformanceScan.fileFinding("EF-CF-4.1", file, stat, ConformanceScan.sha256(CONTENT))
                .status();
    }

    @Test
    void namesAreComparedWithTheNodesNamesAndNumbersWithItsIds() {
        FileStat ubuntu = stat("644 1000 1000 ubuntu ubuntu");
        assertEquals(FindingStatus.PASS, finding("ubuntu:ubuntu", ubuntu));
        assertEquals(FindingStatus.PASS, finding("1000:1000", ubuntu));
        assertEquals(FindingStatus.PASS, finding("ubuntu:1000", ubuntu));
        assertEquals(FindingStatus.FAIL, finding("admin:ubuntu", ubuntu));
        assertEquals(FindingStatus.FAIL, finding("root", ubuntu));

        FileStat root = stat("644 0 0 root root");
        assertEquals(FindingStatus.PASS, finding(null, root));
        assertEquals(FindingStatus.PASS, finding("root", root));
        assertEquals(FindingStatus.PASS, finding("0:0", root));
        assertEquals(FindingStatus.FAIL, finding("ubuntu:ubuntu", root));
    }

    @Test
    void aStatLineWithoutNamesStillChecksIds() {
        FileStat old = stat("644 0 0");
        assertEquals(FindingStatus.PASS, finding("root:root", old));
        assertEquals(FindingStatus.FAIL, finding("ubuntu:ubuntu", old));
        var file = new NodeSpec.NodeFile("/etc/app.conf", CONTENT, "ubuntu:ubuntu", "0644");
        String detail = ConformanceScan.fileFinding(
                        "EF-CF-4.1", file, stat("644 1001 1001 bob bob"), ConformanceScan.sha256(CONTENT))
                .evidence();
        assertTrue(detail.contains("expected ubuntu:ubuntu, found 1001:1001 (bob:bob)"), detail);
    }
}
