package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.TaskOutput.Finding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The penetration scan's verdicts on a node's ports: which must not be reachable, which are expected.
 * Check ids are {@code EF-PT-<port>}, stable per port. Pure, tested on its own.
 */
final class PortRules {

    /** Never to be reachable from the network: unauthenticated control of the node or the cluster. */
    static final Map<Integer, String> FORBIDDEN = forbidden();
    /** Expected on Kubernetes nodes: reported, closed is a warning only. */
    static final Map<Integer, String> EXPECTED = Map.of(22, "SSH", 6443, "Kubernetes API server");
    static final int PLAIN_HTTP = 8080;

    private PortRules() {
    }

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
    static List<Finding> evaluate(Map<Integer, Boolean> open, List<Integer> extraForbidden) {
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<Integer, Boolean> probe : open.entrySet()) {
            int port = probe.getKey();
            boolean isOpen = probe.getValue();
            String id = "EF-PT-" + port;
            String evidence = isOpen ? "open" : "closed";
            if (FORBIDDEN.containsKey(port) || extraForbidden.contains(port)) {
                String what = FORBIDDEN.getOrDefault(port, "forbidden by the policy");
                findings.add(Findings.of(!isOpen, id, "Port " + port + " (" + what + ") is not exposed", evidence));
            } else if (port == PLAIN_HTTP) {
                findings.add(isOpen ? Findings.warn(id, "Port 8080 serves no plain HTTP", "open: plain HTTP, no TLS")
                        : Findings.pass(id, "Port 8080 serves no plain HTTP", evidence));
            } else if (EXPECTED.containsKey(port)) {
                String title = "Port " + port + " (" + EXPECTED.get(port) + ") answers";
                findings.add(isOpen ? Findings.pass(id, title, evidence) : Findings.warn(id, title, evidence));
            }
        }
        return findings;
    }
}
