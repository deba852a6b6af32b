package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.TaskOutput.Finding;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * PENETRATION scan: TCP connects from the gateway to the node's address on the ports of
 * {@link PortRules}, in parallel with a short timeout, as an attacker on the appliance's network would.
 * Needs only the node's IP, so it works for containerized and virtualized nodes.
 * <p>
 * A closed port is a PASS only on a node shown to be there: the node must be running with a known IP, and at least
 * one probe must get an answer from its host (a connection accepted, or refused: a refusal comes from the host's own
 * TCP stack). When every probe goes unanswered (timeouts, no route, network unreachable) nothing was learnt about any
 * port, and every check is an ERROR "node X unreachable: ...", never a PASS.
 */
final class PenetrationScan {

    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(1500);
    private static final int PARALLEL = 16;

    /** What one TCP connect learnt. */
    enum Probe {
        /** the connection was accepted */
        OPEN,
        /** the host answered with a reset: it is up, the port is closed */
        REFUSED,
        /** no answer (timeout), or no route to the host or its network: nothing is known */
        SILENT
    }

    /** The probes' outcome: per port, and why the node counts as unreachable when no probe got an answer. */
    record Outcome(Map<Integer, Probe> probes, String silence) {}

    List<Finding> run(NodeStatus node, List<Integer> extraForbidden, PortRules.Expectations expected)
            throws TaskFailedException {
        List<Integer> ports = new ArrayList<>(PortRules.portsToProbe(extraForbidden));
        Set<Integer> checks = new LinkedHashSet<>(ports);
        if (node.state() != NodeState.RUNNING) {
            return PortRules.unreachable(
                    checks, extraForbidden, unreachable(node, "it is " + node.state() + ", not running"));
        }
        if (node.ip() == null || node.ip().isBlank()) {
            return PortRules.unreachable(checks, extraForbidden, unreachable(node, "it has no known IP address"));
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(node.ip()); // a literal address: no DNS query
        } catch (UnknownHostException e) {
            throw new TaskFailedException("node address '" + TaskInputs.shown(node.ip()) + "' is not an IP address");
        }
        Outcome outcome = probe(address, ports);
        if (outcome.probes().values().stream().allMatch(p -> p == Probe.SILENT)) {
            return PortRules.unreachable(
                    checks,
                    extraForbidden,
                    unreachable(
                            node,
                            "no answer from " + node.ip() + " on any of " + ports.size() + " ports ("
                                    + outcome.silence() + ")"));
        }
        Map<Integer, Boolean> open = new LinkedHashMap<>();
        outcome.probes().forEach((port, probe) -> open.put(port, probe == Probe.OPEN));
        return PortRules.evaluate(open, extraForbidden, expected);
    }

    private static String unreachable(NodeStatus node, String why) {
        return "node " + node.nodeId() + " unreachable: " + why + "; its ports were not checked";
    }

    static Outcome probe(InetAddress address, List<Integer> ports) throws TaskFailedException {
        Map<Integer, Probe> probes = new LinkedHashMap<>();
        Map<Integer, String> silences = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, ports.size()), r -> {
            Thread t = new Thread(r, "port-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Map.Entry<Probe, String>>> futures = new ArrayList<>();
            for (int port : ports) {
                futures.add(pool.submit(() -> probe(address, port)));
            }
            for (int i = 0; i < ports.size(); i++) {
                Map.Entry<Probe, String> result = futures.get(i).get();
                probes.put(ports.get(i), result.getKey());
                if (result.getKey() == Probe.SILENT) {
                    silences.put(ports.get(i), result.getValue());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailedException("interrupted while probing the node's ports");
        } catch (ExecutionException e) {
            throw new TaskFailedException("probing the node's ports failed: " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
        String silence = silences.values().stream().distinct().collect(Collectors.joining(", "));
        return new Outcome(probes, silence);
    }

    /** One TCP connect: accepted, refused by the host, or unanswered (with what happened). */
    static Map.Entry<Probe, String> probe(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) CONNECT_TIMEOUT.toMillis());
            return Map.entry(Probe.OPEN, "open");
        } catch (SocketTimeoutException e) {
            return Map.entry(Probe.SILENT, "timed out after " + CONNECT_TIMEOUT.toMillis() + " ms");
        } catch (NoRouteToHostException e) {
            return Map.entry(Probe.SILENT, "no route to host");
        } catch (ConnectException e) {
            // "Connection refused" is the host's own answer; "Network is unreachable" and the like are not
            String message = String.valueOf(e.getMessage());
            return message.toLowerCase(Locale.ROOT).contains("refused")
                    ? Map.entry(Probe.REFUSED, "closed")
                    : Map.entry(Probe.SILENT, shortened(e));
        } catch (IOException e) {
            return Map.entry(Probe.SILENT, e.getMessage() == null ? e.getClass().getSimpleName() : shortened(e));
        }
    }

    private static String shortened(IOException e) {
        return e.getMessage().replaceAll("\\s*\\(.*\\)$", "").toLowerCase(Locale.ROOT);
    }
}
