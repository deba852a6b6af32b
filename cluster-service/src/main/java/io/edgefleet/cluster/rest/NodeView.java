package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.cluster.repository.NodeTarget;
import io.edgefleet.events.payload.NodeRole;

import java.time.Instant;

/**
 * A node of a cluster.
 *
 * @param state         PENDING, CREATING, RUNNING, DELETING, DELETED or FAILED
 * @param target        PRESENT, or ABSENT for a node on its way out (scale down, replaced, cluster deleted)
 * @param ref           the container id or domain UUID on its appliance
 * @param observedState what its gateway last saw (CREATING, RUNNING, STOPPED, DELETED, FAILED)
 */
public record NodeView(String nodeId, String pool, String applianceUid, NodeRole role, NodeStage state, NodeTarget target,
                       String ref, String ip, String message, String observedState, Instant observedAt, Instant createdAt,
                       Instant updatedAt) {

    static NodeView of(ClusterNode n) {
        return new NodeView(n.nodeId, n.poolName, n.applianceUid, n.role, n.stage, n.target, n.ref, n.ip, n.message,
                n.observedState, n.observedAt, n.createdAt, n.updatedAt);
    }
}
