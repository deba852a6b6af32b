package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.TaskOutput.Finding;
import io.edgefleet.events.payload.TaskOutput.FindingStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration benchmark's rules on collected facts, without a node. */
class ConfigurationRulesTest {

    private static final String BOOTSTRAP = """
            apiVersion: edgefleet.io/v1
            cluster:
              id: c1
            kubernetes:
              version: 1.27.13
              podCIDR: 192.168.0.0/16
              serviceCIDR: 10.96.0.0/12
            ntp:
              servers: [ntp.ubuntu.com]
            """;

    private static Map<String, FileStat> files(String statOutput) {
        return FileStat.parse(statOutput);
    }

    private static Map<String, Finding> byTitle(List<Finding> findings) {
        return findings.stream().collect(Collectors.toMap(Finding::title, f -> f, (a, b) -> a));
    }

    private static FindingStatus status(List<Finding> findings, String checkId) {
        return findings.stream()
                .filter(f -> f.checkId().equals(checkId))
                .map(Finding::status)
                .reduce((a, b) -> a == FindingStatus.FAIL || b == FindingStatus.FAIL ? FindingStatus.FAIL : a)
                .orElseThrow(() -> new AssertionError("no finding " + checkId + " in " + findings));
    }

    @Test
    void aWellConfiguredNodePassesEveryRule() {
        var stats = files("""
                600 0 0|regular file|/etc/edgefleet/bootstrap.yaml
                644 0 0|regular file|/etc/kubernetes/pki/ca.crt
                600 0 0|regular file|/etc/kubernetes/pki/ca.key
                600 0 0|regular file|/root/.ssh/authorized_keys
                """);
        List<Finding> findings = ConfigurationRules.evaluate(stats, BootstrapSettings.parse(BOOTSTRAP), null, "c1");
        assertTrue(findings.stream().allMatch(f -> f.status() == FindingStatus.PASS), findings::toString);
        assertEquals("mode 0600 owner 0:0", findings.get(0).evidence());
    }

    @Test
    void eachWeaknessFailsItsOwnRuleWithEvidence() {
        var stats = files("""
                644 0 0|regular file|/etc/edgefleet/bootstrap.yaml
                666 1000 0|regular file|/etc/kubernetes/pki/ca.crt
                640 0 0|regular file|/etc/kubernetes/pki/apiserver.key
                644 0 0|regular file|/root/.ssh/authorized_keys
                777 0 0|regular file|/etc/edgefleet/extra.conf
                """);
        String otherCluster = BOOTSTRAP
                .replace("id: c1", "id: c2")
                .replace("servers: [ntp.ubuntu.com]", "servers: []")
                .replace("podCIDR: 192.168.0.0/16", "podCIDR: 192.168.0.1/16");
        List<Finding> findings = ConfigurationRules.evaluate(stats, BootstrapSettings.parse(otherCluster), null, "c1");
        assertEquals(FindingStatus.FAIL, status(findings, "EF-CS-1.1"));
        assertEquals("mode 0644 owner 0:0", findings.get(0).evidence());
        assertEquals(FindingStatus.PASS, status(findings, "EF-CS-1.2"));
        assertEquals(FindingStatus.FAIL, status(findings, "EF-CS-2.1"));
        assertEquals(FindingStatus.FAIL, status(findings, "EF-CS-2.2"));
        assertEquals(FindingStatus.FAIL, status(findings, "EF-CS-3.1"));
        assertEquals(FindingStatus.FAIL, status(findings, "EF-CS-4.1"));
        assertEquals(FindingStatus.FAIL, status(findings, "EF-CS-5.1"));
        assertTrue(byTitle(findings)
                .get("No world-writable files under /etc/edgefleet")
                .evidence()
                .contains("/etc/edgefleet/extra.conf"));
        assertEquals(FindingStatus.PASS, status(findings, "EF-CS-6.1"));
        assertEquals(FindingStatus.FAIL, status(findings, "EF-CS-6.2"), "host bits set: not a network");
        assertEquals(FindingStatus.FAIL, status(findings, "EF-CS-6.4"));
        assertEquals(FindingStatus.WARN, status(findings, "EF-CS-6.5"));
    }

    @Test
    void aMissingBootstrapFailsItsRulesAndAbsentAuthorizedKeysPass() {
        var stats = files("- - -|missing|/etc/edgefleet/bootstrap.yaml\n- - -|missing|/root/.ssh/authorized_keys\n");
        List<Finding> findings = ConfigurationRules.evaluate(stats, null, "missing", "c1");
        assertEquals(FindingStatus.FAIL, status(findings, "EF-CS-1.1"));
        assertEquals("missing", findings.get(0).evidence());
        assertEquals(FindingStatus.PASS, status(findings, "EF-CS-4.1"));
        assertEquals(FindingStatus.FAIL, status(findings, "EF-CS-6.1"));
    }

    @Test
    void statLinesThatDoNotFitAreSkippedAndBadYamlIsNamed() {
        var stats = files("stat: can't stat 'x'\n600 0 0|regular file|/a b|c\n");
        assertEquals(List.of("/a b|c"), List.copyOf(stats.keySet()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BootstrapSettings.parse("a: ["))
                .getMessage()
                .startsWith("not valid YAML"));
        assertThrows(IllegalArgumentException.class, () -> BootstrapSettings.parse("- just a list"));
    }
}
