package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.TaskOutput.Finding;
import io.edgefleet.events.payload.TaskOutput.FindingStatus;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The penetration scan against real addresses without a node engine: a host that answers nowhere (IPv6's documentation
 * prefix, RFC 3849, which no network routes: "no route to host" or "network is unreachable") is unreachable, so every check is an ERROR; a host that refuses
 * the connections is up, and its closed ports pass.
 */
class PenetrationReachabilityTest {

    private static final String UNROUTABLE = "2001:db8::1";
    private static final PortRules.Expectations ANY = new PortRules.Expectations(false, false);

    private static NodeStatus node(String ip, NodeState state) {
        return new NodeStatus("c1", "workers", "n1", state, "ref", ip, null, null, null);
    }

    @Test
    void anUnroutableAddressIsUnreachableAndNoCheckPasses() throws Exception {
        long t0 = System.nanoTime();
        List<Finding> findings = new PenetrationScan().run(node(UNROUTABLE, NodeState.RUNNING), List.of(9999), ANY);
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertEquals(PortRules.portsToProbe(List.of(9999)).size(), findings.size(), "every check is reported");
        assertTrue(findings.stream().allMatch(f -> f.status() == FindingStatus.ERROR), findings::toString);
        assertTrue(
                findings.stream()
                        .allMatch(f -> f.evidence().startsWith("node n1 unreachable: no answer from " + UNROUTABLE)),
                findings::toString);
        assertTrue(ms < 10_000, "given up in " + ms + " ms");
    }

    @Test
    void aNodeWithoutAnAddressOrNotRunningIsUnreachable() throws Exception {
        List<Finding> noIp = new PenetrationScan().run(node(null, NodeState.RUNNING), List.of(), ANY);
        assertTrue(
                noIp.stream()
                        .allMatch(f -> f.status() == FindingStatus.ERROR
                                && f.evidence().contains("unreachable: it has no known IP address")),
                noIp::toString);
        List<Finding> stopped = new PenetrationScan().run(node("127.0.0.1", NodeState.STOPPED), List.of(), ANY);
        assertTrue(
                stopped.stream()
                        .allMatch(f -> f.status() == FindingStatus.ERROR
                                && f.evidence().contains("unreachable: it is STOPPED, not running")),
                stopped::toString);
    }

    @Test
    void aHostThatRefusesIsUpItsClosedPortsPassAndAnOpenForbiddenOneFails() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int open = listener.getLocalPort();
            List<Finding> findings =
                    new PenetrationScan().run(node("127.0.0.1", NodeState.RUNNING), List.of(open), ANY);
            Map<String, FindingStatus> byId =
                    findings.stream().collect(Collectors.toMap(Finding::checkId, Finding::status));
            assertEquals(FindingStatus.FAIL, byId.get("EF-PT-" + open), findings::toString);
            assertEquals(FindingStatus.PASS, byId.get("EF-PT-2375"), "refused: closed on a host that is up");
            assertTrue(findings.stream().noneMatch(f -> f.status() == FindingStatus.ERROR), findings::toString);
        }
    }

    @Test
    void aRefusalProvesTheHostIsUpSilenceDoesNot() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertEquals(
                PenetrationScan.Probe.REFUSED,
                PenetrationScan.probe(InetAddress.getLoopbackAddress(), closed).getKey());
        assertEquals(
                PenetrationScan.Probe.SILENT,
                PenetrationScan.probe(InetAddress.getByName(UNROUTABLE), 23).getKey());
    }
}
