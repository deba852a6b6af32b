package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.TaskOutput.Finding;
import io.edgefleet.events.payload.TaskOutput.FindingStatus;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What comes with a policy command from the network is checked before use; port verdicts. */
class TaskInputsTest {

    @Test
    void directoriesAreAbsoluteNormalisedAndNeverRoot() throws Exception {
        assertEquals("/var/lib/data", TaskInputs.directory("/var/lib/data/"));
        for (String bad :
                new String[] {null, "", "var/lib", "/", "/var/../etc", "/var//lib", "/var/./lib", "/var/lib\n"}) {
            assertThrows(TaskFailedException.class, () -> TaskInputs.directory(bad), String.valueOf(bad));
        }
        assertEquals(
                List.of("/srv", "/var/lib/b"),
                TaskInputs.directories(List.of("/srv", "/srv/a", "/var/lib/b", "/srv/")));
    }

    @Test
    void portsTimeoutsUrlsAndChecksums() throws Exception {
        assertEquals(List.of(1, 65535), TaskInputs.ports(List.of(1, 65535, 1)));
        assertThrows(TaskFailedException.class, () -> TaskInputs.ports(List.of(0)));
        assertThrows(TaskFailedException.class, () -> TaskInputs.ports(List.of(65536)));
        assertEquals(600, TaskInputs.timeoutSeconds(0, 600));
        assertThrows(TaskFailedException.class, () -> TaskInputs.timeoutSeconds(-1, 600));
        assertThrows(
                TaskFailedException.class, () -> TaskInputs.timeoutSeconds(TaskInputs.MAX_TIMEOUT_SECONDS + 1, 600));
        URI url = TaskInputs.presignedUrl("http://s3.local:9000/b/k?X-Amz-Signature=secret", "uploadUrl");
        assertEquals("s3.local:9000", TaskInputs.hostAndPort(url));
        TaskFailedException bad = assertThrows(
                TaskFailedException.class,
                () -> TaskInputs.presignedUrl("file:///etc/passwd?X-Amz-Signature=secret", "uploadUrl"));
        assertFalse(bad.getMessage().contains("secret"), "a rejected URL is not quoted: its query is a credential");
        assertThrows(TaskFailedException.class, () -> TaskInputs.sha256("abc"));
        assertEquals("a".repeat(64), TaskInputs.sha256("A".repeat(64)));
    }

    @Test
    void portVerdicts() {
        Map<Integer, Boolean> open = new LinkedHashMap<>();
        open.put(22, false);
        open.put(6443, true);
        open.put(8080, true);
        open.put(2375, true);
        open.put(23, false);
        open.put(9999, true);
        List<Finding> findings = PortRules.evaluate(open, List.of(9999), new PortRules.Expectations(true, true));
        Map<String, FindingStatus> byId = new HashMap<>();
        findings.forEach(f -> byId.put(f.checkId(), f.status()));
        assertEquals(
                Map.of(
                        "EF-PT-22",
                        FindingStatus.WARN,
                        "EF-PT-6443",
                        FindingStatus.PASS,
                        "EF-PT-8080",
                        FindingStatus.WARN,
                        "EF-PT-2375",
                        FindingStatus.FAIL,
                        "EF-PT-23",
                        FindingStatus.PASS,
                        "EF-PT-9999",
                        FindingStatus.FAIL),
                byId);
        assertTrue(PortRules.portsToProbe(List.of(9999))
                .containsAll(List.of(22, 23, 2375, 2379, 2380, 4194, 6443, 8080, 9999, 10255)));
        // a worker without SSH keys is expected to answer on neither: closed is no warning there
        List<Finding> worker =
                PortRules.evaluate(Map.of(22, false, 6443, false), List.of(), new PortRules.Expectations(false, false));
        assertTrue(worker.stream().allMatch(f -> f.status() == FindingStatus.PASS), worker::toString);
        assertTrue(worker.stream().anyMatch(f -> f.evidence().contains("not a master")));
    }

    @Test
    void patchOutputKeepsItsLast4KiB() {
        String output = "x".repeat(5000) + "END";
        String tail = NodePatch.tail(output);
        assertEquals(4096, tail.length());
        assertTrue(tail.endsWith("END"));
    }
}
