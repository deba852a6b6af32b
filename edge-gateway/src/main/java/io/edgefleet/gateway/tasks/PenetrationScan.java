package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.TaskOutput.Finding;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * PENETRATION scan: TCP connects from the gateway to the node's address on the ports of
 * {@link PortRules}, in parallel with a short timeout, as an attacker on the appliance's network would.
 * Needs only the node's IP, so it works for containerized and virtualized nodes.
 */
final class PenetrationScan {

    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(1500);
    private static final int PARALLEL = 16;

    List<Finding> run(NodeStatus node, List<Integer> extraForbidden, PortRules.Expectations expected)
            throws TaskFailedException {
        if (node.ip() == null) {
            throw new TaskFailedException(
                    "node " + node.nodeId() + " has no known IP address to probe (state " + node.state() + ")");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(node.ip()); // a literal address: no DNS query
        } catch (UnknownHostException e) {
            throw new TaskFailedException("node address '" + TaskInputs.shown(node.ip()) + "' is not an IP address");
        }
        List<Integer> ports = new ArrayList<>(PortRules.portsToProbe(extraForbidden));
        Map<Integer, Boolean> open = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, ports.size()), r -> {
            Thread t = new Thread(r, "port-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Boolean>> probes = new ArrayList<>();
            for (int port : ports) {
                probes.add(pool.submit(() -> isOpen(address, port)));
            }
            for (int i = 0; i < ports.size(); i++) {
                open.put(ports.get(i), probes.get(i).get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailedException("interrupted while probing the node's ports");
        } catch (ExecutionException e) {
            throw new TaskFailedException("probing the node's ports failed: " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return PortRules.evaluate(open, extraForbidden, expected);
    }

    /** Accepted within the timeout: open. Refused, unreachable or silent: closed (not reachable from here). */
    static boolean isOpen(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
