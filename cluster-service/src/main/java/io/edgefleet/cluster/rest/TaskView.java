package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.cluster.repository.TaskStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * One provisioning step: a node command (create-node, delete-node, start-node, cleanup-cluster), a status transition
 * (status), a change of the definition (change), a node lost outside any command (node-lost) or a change of the
 * cluster's health (health).
 */
public record TaskView(
        @Schema(required = true) long seq,

        @Schema(
                required = true,
                description = "create-node, delete-node, start-node (a node down past the grace period is"
                        + " started again), cleanup-cluster, status, change, node-lost or health")
        String kind,

        @Schema(nullable = true) String nodeId,
        @Schema(nullable = true) String applianceUid,
        @Schema(nullable = true) String commandId,
        @Schema(required = true) TaskStatus status,
        @Schema(nullable = true) String message,
        @Schema(required = true) Instant startedAt,
        @Schema(nullable = true) Instant finishedAt) {

    static TaskView of(ProvisioningTask t) {
        return new TaskView(
                t.seq, t.kind, t.nodeId, t.applianceUid, t.commandId, t.status, t.message, t.startedAt, t.finishedAt);
    }
}
