package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.cluster.repository.NodeTarget;
import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.cluster.repository.TaskStatus;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.kit.commands.GatewayCommand;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Applies what gateways report (called in the consumer's transaction; tenant and appliance are the ones the
 * broker verified): results finish tasks and move nodes on, progress keeps a command from timing out, observations
 * record what really runs. A report counts only for a command sent to that appliance in that tenant.
 * <p>
 * A result that arrives after its command timed out is still applied: the node gets its real state, and
 * a cluster that FAILED only because of that silence resumes by itself (an UNREACHABLE gateway that comes
 * back moves its clusters on).
 */
@ApplicationScoped
public class ReportHandler {

    private static final Logger LOG = Logger.getLogger(ReportHandler.class);

    @Inject
    Orchestrator orchestrator;

    @Inject
    ProvisioningTasks tasks;

    @Inject
    ClusterConfig config;

    public Uni<Void> onResult(String tenant, String applianceUid, CommandResult result) {
        return commandTask(tenant, applianceUid, result.clusterId(), result.commandId())
                .chain(found -> {
                    if (found == null) {
                        return Uni.createFrom().voidItem();
                    }
                    Cluster cluster = found.cluster();
                    ProvisioningTask task = found.task();
                    return Orchestrator.nodesOf(cluster.id).chain(nodes -> applyResult(cluster, nodes, task, result));
                });
    }

    private Uni<Void> applyResult(
            Cluster cluster, List<ClusterNode> nodes, ProvisioningTask task, CommandResult result) {
        Instant now = Instant.now();
        if (!task.running() && !task.timedOut) {
            return Uni.createFrom()
                    .voidItem(); // a repeat of a result already applied (the gateway answers redeliveries)
        }
        boolean late = task.timedOut;
        task.timedOut = false; // the late result is applied once
        String failure = failureOf(task.kind, result);
        ClusterNode node = task.nodeId == null
                ? null
                : nodes.stream()
                        .filter(n -> n.nodeId.equals(task.nodeId))
                        .findFirst()
                        .orElse(null);
        boolean current = node != null && result.commandId().equals(node.awaitingCommand);
        // a timed-out command's late result still tells the truth about the node: FAILED by the timeout, or resumed
        // (PENDING) with no command sent since
        boolean lateForNode = late
                && node != null
                && node.awaitingCommand == null
                && (node.stage == NodeStage.FAILED || node.stage == NodeStage.PENDING)
                && result.commandId().equals(node.lastCommand);
        if (node != null && (current || lateForNode)) {
            applyToNode(node, task.kind, result, failure, now);
        }
        String message = (failure == null ? "done" : failure)
                + (late ? " (reported after the command had timed out)" : "")
                + (node != null && !current && !lateForNode ? " (superseded by a later command for the node)" : "");
        Uni<Void> finished =
                tasks.finish(cluster, task, failure == null ? TaskStatus.SUCCEEDED : TaskStatus.FAILED, message, now);
        boolean counts = node == null || current || lateForNode; // cleanups always count
        if (failure != null && counts && !ProvisioningTask.START_NODE.equals(task.kind)) {
            String reason = task.kind + " " + (task.nodeId != null ? task.nodeId + " " : "") + "on appliance "
                    + task.applianceUid + " failed: " + failure;
            return finished.chain(() -> orchestrator.fail(cluster, nodes, task, reason));
        }
        if (late
                && failure == null
                && cluster.status == ClusterStatus.FAILED
                && cluster.failedTaskSeq != null
                && cluster.failedTaskSeq == task.seq) {
            ClusterStatus resumeTo = cluster.failedFrom == null ? ClusterStatus.PROVISIONING : cluster.failedFrom;
            return finished.chain(() -> orchestrator.resume(
                    cluster, nodes, resumeTo, "the gateway of appliance " + task.applianceUid + " reported again"));
        }
        return finished.chain(() -> orchestrator.reconcile(cluster, nodes));
    }

    /** Null when the command did what it should; else why not. */
    private static String failureOf(String kind, CommandResult result) {
        if (result.outcome() == CommandResult.Outcome.FAILED) {
            return result.message() == null ? "the gateway reports a failure without a reason" : result.message();
        }
        boolean startsIt = ProvisioningTask.CREATE_NODE.equals(kind) || ProvisioningTask.START_NODE.equals(kind);
        if (startsIt && (result.node() == null || result.node().state() != NodeState.RUNNING)) {
            NodeStatus n = result.node();
            return "the node is "
                    + (n == null ? "unknown" : n.state() + (n.message() == null ? "" : " (" + n.message() + ")"))
                    + (ProvisioningTask.CREATE_NODE.equals(kind) ? " after its creation" : " after its start");
        }
        return null;
    }

    private static void applyToNode(ClusterNode node, String kind, CommandResult result, String failure, Instant now) {
        node.awaitingCommand = null;
        node.updatedAt = now;
        if (result.node() != null) {
            node.ref = result.node().ref() != null ? result.node().ref() : node.ref;
            node.ip = result.node().ip() != null ? result.node().ip() : node.ip;
            if (!result.node().addresses().isEmpty()) {
                node.addresses = result.node().addresses();
            }
            node.observedState =
                    result.node().state() == null ? null : result.node().state().name();
            node.observedAt = now;
        }
        if (ProvisioningTask.START_NODE.equals(kind)) { // a repair: started, or replaced (the planner does it)
            if (failure == null) {
                node.stage = NodeStage.RUNNING;
                node.downSince = null;
                node.message = null;
            } else {
                node.broken = true;
                node.message = "it would not start (" + failure + "): it is replaced";
            }
        } else if (failure != null) {
            node.stage = NodeStage.FAILED;
            node.message = failure;
        } else {
            node.stage = ProvisioningTask.CREATE_NODE.equals(kind) ? NodeStage.RUNNING : NodeStage.DELETED;
            node.downSince = null;
            node.message = null;
        }
    }

    /** Progress keeps a command alive: the timeout counts from the gateway's last word. */
    public Uni<Void> onProgress(String tenant, String applianceUid, CommandProgress progress) {
        return commandTask(tenant, applianceUid, progress.clusterId(), progress.commandId())
                .chain(found -> {
                    if (found == null || !found.task().running()) {
                        return Uni.createFrom().voidItem();
                    }
                    ProvisioningTask task = found.task();
                    task.lastReportAt = Instant.now();
                    task.message = "gateway: " + progress.step()
                            + (progress.message() == null ? "" : " (" + progress.message() + ")");
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * Records what the gateway sees of a node (also outside commands, e.g. after a gateway restart). A running
     * node that is gone without any command of ours (removed by hand) is retired, and its pool gets a new node: the
     * cluster is UPDATING until it has. One that is down (stopped or crashed: an engine restart, a power cut, a kill)
     * makes the cluster DEGRADED and is started again after the grace period ({@link NodeHealth}); one seen running
     * again is healthy again.
     */
    public Uni<Void> onObserved(String tenant, String applianceUid, NodeStatus status) {
        if (status.clusterId() == null || status.nodeId() == null) {
            return Uni.createFrom().voidItem();
        }
        return Cluster.lock(status.clusterId()).chain(cluster -> {
            if (cluster == null || !cluster.tenant.equals(tenant)) {
                return Uni.createFrom().voidItem();
            }
            return Orchestrator.nodesOf(cluster.id).chain(nodes -> {
                ClusterNode node = nodes.stream()
                        .filter(n -> n.nodeId.equals(status.nodeId()))
                        .findFirst()
                        .orElse(null);
                if (node == null || !node.applianceUid.equals(applianceUid)) {
                    return Uni.createFrom()
                            .voidItem(); // another appliance's node (a shared Docker engine shows every node of the
                    // tenant)
                }
                Instant now = Instant.now();
                node.observedState =
                        status.state() == null ? null : status.state().name();
                node.observedAt = now;
                if (status.ip() != null) {
                    node.ip = status.ip();
                }
                if (!status.addresses().isEmpty()) {
                    node.addresses = status.addresses();
                }
                if (status.ref() != null && status.state() != NodeState.DELETED) {
                    node.ref = status.ref();
                }
                if (lost(cluster, node, status)) {
                    return heal(cluster, nodes, node, status, now);
                }
                upOrDown(node, status, now);
                return orchestrator.health(cluster, nodes);
            });
        });
    }

    /** A node we consider running, of this incarnation, gone while no command of ours was under way. */
    private static boolean lost(Cluster cluster, ClusterNode node, NodeStatus status) {
        boolean building = cluster.status == ClusterStatus.RUNNING
                || cluster.status == ClusterStatus.UPDATING
                || cluster.status == ClusterStatus.PROVISIONING;
        return building && status.state() == NodeState.DELETED && ours(node, status);
    }

    /**
     * The observation is about the node as we made it (its create's command id, when the gateway knows it) and it
     * should run with no command of ours under way: what the gateway sees is the node's own doing.
     */
    private static boolean ours(ClusterNode node, NodeStatus status) {
        return node.target == NodeTarget.PRESENT
                && node.stage == NodeStage.RUNNING
                && node.awaitingCommand == null
                && (status.commandId() == null || status.commandId().equals(node.lastCommand));
    }

    /**
     * Down since the first report that says so outside our commands (with what the gateway said); up again when seen
     * running, also while our start is under way (its result only confirms it).
     */
    private static void upOrDown(ClusterNode node, NodeStatus status, Instant now) {
        if (status.state() == NodeState.STOPPED || status.state() == NodeState.FAILED) {
            if (node.downSince == null && ours(node, status)) {
                node.downSince = now.truncatedTo(ChronoUnit.MICROS); // as the database keeps it
                node.message = status.message();
                node.updatedAt = now;
                LOG.infof(
                        "cluster %s: node %s on appliance %s is %s (%s)",
                        node.clusterId, node.nodeId, node.applianceUid, status.state(), status.message());
            }
        } else if (status.state() == NodeState.RUNNING
                && node.down()
                && (status.commandId() == null || status.commandId().equals(node.lastCommand))) {
            node.downSince = null;
            node.message = node.broken ? node.message : null;
            node.updatedAt = now;
            LOG.infof("cluster %s: node %s on appliance %s runs again", node.clusterId, node.nodeId, node.applianceUid);
        }
    }

    private Uni<Void> heal(Cluster cluster, List<ClusterNode> nodes, ClusterNode node, NodeStatus status, Instant now) {
        String what = "node " + node.nodeId + " on appliance " + node.applianceUid + " was observed " + status.state()
                + (status.message() == null ? "" : " (" + status.message() + ")")
                + " outside any command; it is replaced";
        LOG.warnf("cluster %s: %s", cluster.id, what);
        node.target = NodeTarget.ABSENT;
        node.message = what;
        node.updatedAt = now;
        if (status.state() == NodeState.DELETED) {
            node.stage = NodeStage.DELETED; // nothing left to delete
        }
        return tasks.record(cluster, ProvisioningTask.NODE_LOST, TaskStatus.FAILED, what, now)
                .chain(() -> orchestrator.reconcile(cluster, nodes));
    }

    /** Fails a command that got no report in time (the tick calls it; the task is re-checked under the lock). */
    public Uni<Void> timeOut(String clusterId, String commandId, Instant deadline) {
        return Cluster.lock(clusterId)
                .chain(cluster -> ProvisioningTask.<ProvisioningTask>find("commandId", commandId)
                        .firstResult()
                        .chain(task -> {
                            if (cluster == null
                                    || task == null
                                    || !task.running()
                                    || !task.lastReportAt.isBefore(deadline)) {
                                return Uni.createFrom().voidItem(); // a report came in the meantime
                            }
                            // a "started" right after the send is not written to the task (ProgressTriage): the
                            // gateway command row says whether the gateway ever spoke of it
                            return GatewayCommand.<GatewayCommand>findById(commandId)
                                    .chain(command -> {
                                        boolean heard = command != null && command.lastHeardAt != null;
                                        return Orchestrator.nodesOf(cluster.id)
                                                .chain(nodes -> timeOut(cluster, nodes, task, heard));
                                    });
                        }));
    }

    private Uni<Void> timeOut(Cluster cluster, List<ClusterNode> nodes, ProvisioningTask task, boolean heard) {
        Instant now = Instant.now();
        String what = task.kind + (task.nodeId == null ? "" : " " + task.nodeId);
        // the gateway answers every command it takes with progress: silence since the send means it never arrived
        String reason = task.lastReportAt.equals(task.startedAt) && !heard
                ? "the gateway of appliance " + task.applianceUid + " never took " + what
                        + " (offline or unreachable since " + task.startedAt
                        + "): the command expired undelivered after "
                        + config.commandTimeout().toSeconds() + " s"
                : "no report from the gateway of appliance " + task.applianceUid + " about " + what + " since "
                        + (heard && task.lastReportAt.equals(task.startedAt) ? "it was taken" : task.lastReportAt)
                        + " (timeout)";
        ClusterNode node = task.nodeId == null
                ? null
                : nodes.stream()
                        .filter(n -> n.nodeId.equals(task.nodeId))
                        .findFirst()
                        .orElse(null);
        CommandTimeout.Consequence consequence = CommandTimeout.of(task, node);
        task.timedOut = true; // a late result is still applied (once)
        switch (consequence) {
            case SUPERSEDED -> {
                LOG.infof("cluster %s: %s; superseded by a later command for the node", cluster.id, reason);
                return tasks.finish(
                        cluster,
                        task,
                        TaskStatus.FAILED,
                        reason + " (superseded by a later command for the node)",
                        now);
            }
            case REPAIR_UNANSWERED -> {
                LOG.warnf("cluster %s: %s; it is started again after the grace period", cluster.id, reason);
                if (node != null) {
                    node.awaitingCommand = null;
                    node.message = reason;
                    node.updatedAt = now;
                }
                return tasks.finish(cluster, task, TaskStatus.FAILED, reason, now);
            }
            default -> {
                nodes.stream()
                        .filter(n -> task.commandId.equals(n.awaitingCommand))
                        .forEach(n -> {
                            n.awaitingCommand = null;
                            n.stage = NodeStage.FAILED;
                            n.message = reason;
                            n.updatedAt = now;
                        });
                LOG.warnf("cluster %s: %s", cluster.id, reason);
                return tasks.finish(cluster, task, TaskStatus.FAILED, reason, now)
                        .chain(() -> orchestrator.fail(cluster, nodes, task, reason));
            }
        }
    }

    record Found(Cluster cluster, ProvisioningTask task) {}

    /**
     * The command's task, with its cluster locked first (so the task is read under the lock), if the command
     * went to this appliance of this tenant.
     */
    private static Uni<Found> commandTask(String tenant, String applianceUid, String clusterId, String commandId) {
        if (commandId == null || clusterId == null) {
            return Uni.createFrom().nullItem();
        }
        return Cluster.lock(clusterId).chain(cluster -> {
            if (cluster == null || !cluster.tenant.equals(tenant)) {
                return Uni.createFrom().nullItem(); // not ours, or claimed by another tenant's gateway
            }
            return ProvisioningTask.<ProvisioningTask>find("commandId", commandId)
                    .firstResult()
                    .map(task -> {
                        if (task == null
                                || !task.clusterId.equals(clusterId)
                                || !applianceUid.equals(task.applianceUid)) {
                            LOG.debugf(
                                    "ignoring a report about command %s: not one sent to appliance %s",
                                    commandId, applianceUid);
                            return null;
                        }
                        return new Found(cluster, task);
                    });
        });
    }
}
