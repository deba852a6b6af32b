package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.cluster.repository.NodeTarget;
import io.edgefleet.events.payload.NodeRole;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * A node of a cluster.
 *
 * @param state         PENDING, CREATING, RUNNING, DELETING, DELETED or FAILED
 * @param target        PRESENT, or ABSENT for a node on its way out (scale down, replaced, cluster deleted)
 * @param ref           the container id or domain UUID on its appliance
 * @param ip            its primary address (IPv4), the first of {@code addresses}; kept for clients that read one
 * @param addresses     every address its gateway reported (every NIC, IPv4 and IPv6), the primary first; empty while
 *                      none is known
 * @param observedState what its gateway last saw (CREATING, RUNNING, STOPPED, DELETED, FAILED)
 * @param downSince     since when its gateway has seen it stopped or crashed while it should run; null while it runs
 */
public record NodeView(
        @Schema(required = true) String nodeId,
        @Schema(required = true) String pool,
        @Schema(required = true) String applianceUid,
        @Schema(required = true) NodeRole role,
        @Schema(required = true) NodeStage state,
        @Schema(required = true) NodeTarget target,
        @Schema(nullable = true) String ref,
        @Schema(nullable = true) String ip,
        @Schema(required = true) List<String> addresses,
        @Schema(nullable = true) String message,
        @Schema(nullable = true) String observedState,
        @Schema(nullable = true) Instant observedAt,
        @Schema(nullable = true) Instant downSince,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true) Instant updatedAt) {

    static NodeView of(ClusterNode n) {
        return new NodeView(
                n.nodeId,
                n.poolName,
                n.applianceUid,
                n.role,
                n.stage,
                n.target,
                n.ref,
                n.ip,
                n.addresses == null ? List.of() : n.addresses,
                n.message,
                n.observedState,
                n.observedAt,
                n.downSince,
                n.createdAt,
                n.updatedAt);
    }
}
