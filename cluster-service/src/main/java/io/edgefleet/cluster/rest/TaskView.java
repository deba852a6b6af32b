package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.cluster.repository.TaskStatus;

import java.time.Instant;

/**
 * One provisioning step: a node command (create-node, delete-node, cleanup-cluster), a status transition
 * (status) or a change of the definition (change).
 */
public record TaskView(long seq, String kind, String nodeId, String applianceUid, String commandId, TaskStatus status,
                       String message, Instant startedAt, Instant finishedAt) {

    static TaskView of(ProvisioningTask t) {
        return new TaskView(t.seq, t.kind, t.nodeId, t.applianceUid, t.commandId, t.status, t.message, t.startedAt, t.finishedAt);
    }
}
