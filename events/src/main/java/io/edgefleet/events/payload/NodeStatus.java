package io.edgefleet.events.payload;

import java.time.Instant;

/**
 * A node as its gateway sees it.
 *
 * @param ref       the driver's handle: container id or domain UUID
 * @param ip        the node's address when known
 * @param commandId the command that created it
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
        Instant observedAt) {}
