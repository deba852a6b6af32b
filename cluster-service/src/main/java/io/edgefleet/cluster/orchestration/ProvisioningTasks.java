package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.messaging.out.ClusterEventPublisher;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.cluster.repository.TaskStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.UUID;

/** Provisioning tasks: numbered per cluster, and each start and end is a {@code cluster.task} event. */
@ApplicationScoped
public class ProvisioningTasks {

    @Inject
    ClusterEventPublisher events;

    /** A node command's task, RUNNING until its gateway reports (or the command times out). */
    public Uni<ProvisioningTask> open(
            Cluster cluster,
            String kind,
            String nodeId,
            String applianceUid,
            String commandId,
            String message,
            Instant now) {
        ProvisioningTask t = newTask(cluster, kind, nodeId, applianceUid, message, now);
        t.commandId = commandId;
        t.status = TaskStatus.RUNNING;
        return t.<ProvisioningTask>persist().call(saved -> events.task(cluster, saved));
    }

    /**
     * A command sent again under its id (it timed out with no result): its task is RUNNING again, the timeout counting
     * from now, and a result is applied as to any running command.
     */
    public Uni<ProvisioningTask> reopen(Cluster cluster, String commandId, String message, Instant now) {
        return ProvisioningTask.<ProvisioningTask>find("commandId", commandId)
                .singleResult()
                .call(t -> {
                    t.status = TaskStatus.RUNNING;
                    t.timedOut = false;
                    t.finishedAt = null;
                    t.lastReportAt = now;
                    t.message = message;
                    return events.task(cluster, t);
                });
    }

    /** A step that happens at once (a status transition): started and finished now. */
    public Uni<ProvisioningTask> record(Cluster cluster, String kind, TaskStatus status, String message, Instant now) {
        ProvisioningTask t = newTask(cluster, kind, null, null, message, now);
        t.status = status;
        t.finishedAt = now;
        return t.<ProvisioningTask>persist().call(saved -> events.task(cluster, saved));
    }

    public Uni<Void> finish(Cluster cluster, ProvisioningTask task, TaskStatus outcome, String message, Instant now) {
        task.finish(outcome, message, now);
        return events.task(cluster, task);
    }

    private static ProvisioningTask newTask(
            Cluster cluster, String kind, String nodeId, String applianceUid, String message, Instant now) {
        ProvisioningTask t = new ProvisioningTask();
        t.id = UUID.randomUUID();
        t.clusterId = cluster.id;
        t.seq = ++cluster.taskSeq;
        t.kind = kind;
        t.nodeId = nodeId;
        t.applianceUid = applianceUid;
        t.message = message;
        t.startedAt = now;
        t.lastReportAt = now;
        return t;
    }
}
