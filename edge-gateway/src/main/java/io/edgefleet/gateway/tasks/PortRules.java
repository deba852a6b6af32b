package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.TaskOutput.Finding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The penetration scan's verdicts on a node's ports: which must not be reachable, which are expected.
 * Check ids are {@code EF-PT-<port>}, stable per port. Pure, tested on its own.
 */
final class PortRules {

    /** Never to be reachable from the network: unauthenticated control of the node or the cluster. */
    static final Map<Integer, String> FORBIDDEN = forbidden();

    static final int SSH = 22;
    static final int API_SERVER = 6443;
    /** Expected where the node's spec calls for them (SSH keys; a master): reported, closed is a warning only. */
    static final Map<Integer, String> EXPECTED = Map.of(SSH, "SSH", API_SERVER, "Kubernetes API server");

    /**
     * What the node should answer on, from the spec it was created from: the API server on masters, SSH
     * where keys were given. Without a spec both are expected (the scan cannot tell).
     */
    record Expectations(boolean apiServer, boolean ssh) {

        static Expectations of(Optional<NodeSpec> spec) {
            return spec.map(s -> new Expectations(
                            s.role() == NodeRole.MASTER,
                            s.sshAuthorizedKeys() != null
                                    && !s.sshAuthorizedKeys().isEmpty()))
                    .orElse(new Expectations(true, true));
        }

        boolean expects(int port) {
            return port == API_SERVER ? apiServer : port != SSH || ssh;
        }

        String why(int port) {
            return port == API_SERVER ? "not a master" : "no SSH keys configured";
        }
    }

    static final int PLAIN_HTTP = 8080;

    private PortRules() {}

    private static Map<Integer, String> forbidden() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(23, "telnet");
        ports.put(2375, "Docker API without TLS");
        ports.put(2379, "etcd client API");
        ports.put(2380, "etcd peer API");
        ports.put(4194, "cAdvisor");
        ports.put(10255, "kubelet read-only API");
        return ports;
    }

    /** Every port to probe: the built-in ones and the command's extra forbidden ports. */
    static Set<Integer> portsToProbe(List<Integer> extraForbidden) {
        Set<Integer> ports = new LinkedHashSet<>(EXPECTED.keySet());
        ports.add(PLAIN_HTTP);
        ports.addAll(FORBIDDEN.keySet());
        ports.addAll(extraForbidden);
        return ports;
    }

    /** @param open for each probed port, whether a TCP connection was accepted */
    static List<Finding> evaluate(Map<Integer, Boolean> open, List<Integer> extraForbidden, Expectations expected) {
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<Integer, Boolean> probe : open.entrySet()) {
            int port = probe.getKey();
            boolean isOpen = probe.getValue();
            String id = "EF-PT-" + port;
            String title = title(port, extraForbidden);
            String evidence = isOpen ? "open" : "closed";
            if (FORBIDDEN.containsKey(port) || extraForbidden.contains(port)) {
                findings.add(Findings.of(!isOpen, id, title, evidence));
            } else if (port == PLAIN_HTTP) {
                findings.add(
                        isOpen
                                ? Findings.warn(id, title, "open: plain HTTP, no TLS")
                                : Findings.pass(id, title, evidence));
            } else if (EXPECTED.containsKey(port)) {
                if (!expected.expects(port)) {
                    findings.add(Findings.pass(id, title, evidence + " (not expected: " + expected.why(port) + ")"));
                } else {
                    findings.add(isOpen ? Findings.pass(id, title, evidence) : Findings.warn(id, title, evidence));
                }
            }
        }
        return findings;
    }

    /**
     * The node could not be reached: every check is an ERROR with the reason, never a PASS (a port that cannot be
     * reached from here says nothing about the node).
     */
    static List<Finding> unreachable(Set<Integer> ports, List<Integer> extraForbidden, String reason) {
        return ports.stream()
                .map(port -> Findings.error("EF-PT-" + port, title(port, extraForbidden), reason))
                .toList();
    }

    private static String title(int port, List<Integer> extraForbidden) {
        if (FORBIDDEN.containsKey(port) || extraForbidden.contains(port)) {
            return "Port " + port + " (" + FORBIDDEN.getOrDefault(port, "forbidden by the policy") + ") is not exposed";
        }
        if (port == PLAIN_HTTP) {
            return "Port 8080 serves no plain HTTP";
        }
        return "Port " + port + " (" + EXPECTED.get(port) + ") answers";
    }
}
