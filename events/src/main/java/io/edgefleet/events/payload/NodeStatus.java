package io.edgefleet.events.payload;

import java.time.Instant;
import java.util.List;

/**
 * A node as its gateway sees it.
 *
 * @param ref       the driver's handle: container id or domain UUID
 * @param ip        the node's primary address when known (the first of {@code addresses}: its first IPv4 address)
 * @param commandId the command that created it
 * @param addresses every address of the node the gateway knows (every NIC, IPv4 and IPv6; no loopback or link-local),
 *                  the primary first; never null: from gateways that report only {@code ip}, that one
 */
public record NodeStatus(
        String clusterId,
        String poolName,
        String nodeId,
        NodeState state,
        String ref,
        String ip,
        String commandId,
        String message,
        Instant observedAt,
        List<String> addresses) {

    public NodeStatus {
        addresses = addresses != null && !addresses.isEmpty()
                ? List.copyOf(addresses)
                : ip == null ? List.of() : List.of(ip);
    }

    /** A status with only the primary address (or none). */
    public NodeStatus(
            String clusterId,
            String poolName,
            String nodeId,
            NodeState state,
            String ref,
            String ip,
            String commandId,
            String message,
            Instant observedAt) {
        this(clusterId, poolName, nodeId, state, ref, ip, commandId, message, observedAt, null);
    }
}
