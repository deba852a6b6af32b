package io.edgefleet.policy.service;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.policy.config.PolicyConfig;
import io.edgefleet.policy.messaging.out.PolicyEventPublisher;
import io.edgefleet.policy.repository.KnownCluster;
import io.edgefleet.policy.repository.PolicySettings;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunDetail;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunNode;
import io.edgefleet.policy.repository.RunNode.NodeTaskStatus;
import io.edgefleet.policy.repository.RunStatus;
import io.edgefleet.policy.repository.RunTrigger;
import io.edgefleet.policy.store.ObjectStore;
import io.edgefleet.policy.store.SecretBox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Carries out runs: starts one on a cluster (or records it as skipped), sends its commands to the nodes'
 * gateways, takes their results and ends the run. Everything happens in the caller's transaction, with
 * the cluster's projection row locked when a run starts (two triggers never both start) and the run row
 * locked when a result arrives (results of one run are applied one at a time).
 * <p>
 * Scans, backups and restores go to every node at once; an OS patch command goes to one node at a time and
 * stops at the first node that fails, so a bad patch never takes down the whole cluster. An OS patch of mode
 * RELINK sends no command: {@link RelinkRuns} asks cluster-service to roll the cluster.
 * <p>
 * A restore is all or nothing: every node first gets a VERIFY command (its gateway downloads the archive and checks
 * size, SHA-256 and entries, keeping it; the node is not touched); only when every node's archive was verified do the
 * nodes get APPLY commands. When any archive fails (or its gateway stays silent), no node is restored: the run fails
 * naming the node and its archive, and the verified archives are discarded on the appliances. APPLY saves what it
 * replaces on the appliance; when it fails on a node (put back there at once), every node already restored gets an
 * UNDO (put back as it was) before the run fails; when every node was restored, they get a DISCARD (the saved state
 * goes).
 */
@ApplicationScoped
public class RunEngine {

    private static final Logger LOG = Logger.getLogger(RunEngine.class);

    @Inject
    PolicyEventPublisher events;

    @Inject
    ObjectStore store;

    @Inject
    SecretBox secrets;

    @Inject
    RelinkRuns relinkRuns;

    @Inject
    PolicyConfig config;

    /** What a new run is: its kind, policy, settings, and for backups the store secret. */
    public record RunRequest(
            String tenant,
            RunKind kind,
            UUID policyId,
            String policyName,
            String clusterId,
            RunTrigger trigger,
            RunDetail detail,
            String storeSecret) {}

    /**
     * Starts a run, or records it SKIPPED when the cluster is not running or another run is under way on
     * it. For a restore, {@code archives} maps each target node id to the archive it gets, and the request's
     * store secret is the backup's.
     */
    public Uni<Run> start(RunRequest request, Map<String, TaskOutput.Archive> restoreArchives) {
        return start(request, restoreArchives, null);
    }

    /** As {@link #start(RunRequest, Map)}, the run answering a rollout's scan request ({@code requestId}, or null). */
    public Uni<Run> start(RunRequest request, Map<String, TaskOutput.Archive> restoreArchives, String requestId) {
        return KnownCluster.<KnownCluster>findById(request.clusterId(), LockModeType.PESSIMISTIC_WRITE)
                .chain(cluster -> {
                    Run run = newRun(request);
                    run.requestId = requestId;
                    if (cluster == null || !cluster.tenant.equals(request.tenant())) {
                        return skip(
                                run,
                                "cluster " + request.clusterId()
                                        + " is not known (deleted, or not yet published by cluster-service)");
                    }
                    if (cluster.status != ClusterStatus.RUNNING) {
                        return skip(run, "cluster " + cluster.id + " is " + cluster.status + ", not RUNNING");
                    }
                    return Run.runningOn(cluster.id).chain(busy -> {
                        if (busy != null) {
                            return skip(
                                    run,
                                    "run " + busy.id + " (" + busy.kind + ") is under way on cluster " + cluster.id
                                            + "; runs on one cluster never overlap");
                        }
                        if (RelinkRuns.isRelink(run)) {
                            return relinkRuns.begin(run); // cluster-service rolls the nodes: no command of ours
                        }
                        List<ClusterSnapshot.Node> nodes = run.kind == RunKind.RESTORE
                                ? cluster.liveNodes().stream()
                                        .filter(n -> restoreArchives.containsKey(n.nodeId()))
                                        .toList()
                                : cluster.liveNodes();
                        if (nodes.isEmpty()) {
                            return finish(
                                    run.persist().replaceWith(run),
                                    RunStatus.FAILED,
                                    "cluster " + cluster.id + " has no nodes");
                        }
                        run.status = RunStatus.RUNNING;
                        List<RunNode> tasks = plan(run, nodes, restoreArchives);
                        return run.<Run>persist()
                                .chain(() -> RunNode.persist(tasks))
                                .chain(() -> events.run(run))
                                .chain(() -> dispatch(run, tasks))
                                .replaceWith(run);
                    });
                });
    }

    private static Run newRun(RunRequest request) {
        Run run = new Run();
        run.id = UUID.randomUUID();
        run.tenant = request.tenant();
        run.kind = request.kind();
        run.policyId = request.policyId();
        run.policyName = request.policyName();
        run.clusterId = request.clusterId();
        run.trigger = request.trigger();
        run.detail = request.detail();
        run.storeSecret = request.storeSecret();
        run.createdAt = Instant.now();
        return run;
    }

    /**
     * A run that cannot be carried out, recorded FAILED at once with the reason (a scan request naming a policy that is
     * not the tenant's SCAN policy): the one asking gets an answer instead of silence.
     */
    public Uni<Run> refuse(RunRequest request, String requestId, String reason) {
        Run run = newRun(request);
        run.requestId = requestId;
        run.status = RunStatus.FAILED;
        run.reason = reason;
        run.finishedAt = run.createdAt;
        LOG.infof("run %s (%s) on cluster %s refused: %s", run.id, run.kind, run.clusterId, reason);
        return run.<Run>persist().chain(() -> events.run(run)).replaceWith(run);
    }

    private Uni<Run> skip(Run run, String reason) {
        run.status = RunStatus.SKIPPED;
        run.reason = reason;
        run.finishedAt = run.createdAt;
        LOG.infof("run %s (%s) on cluster %s skipped: %s", run.id, run.kind, run.clusterId, reason);
        return run.<Run>persist().chain(() -> events.run(run)).replaceWith(run);
    }

    /**
     * One command per node (a scan: per node and scan kind), in the order they will be sent. A restore's task starts at
     * stage VERIFY and holds the archive the node gets.
     */
    private static List<RunNode> plan(
            Run run, List<ClusterSnapshot.Node> nodes, Map<String, TaskOutput.Archive> restoreArchives) {
        List<RunNode> tasks = new ArrayList<>();
        List<NodeTask.ScanKind> scanKinds =
                run.kind == RunKind.SCAN ? run.detail.scan().kinds() : Collections.singletonList(null);
        for (ClusterSnapshot.Node node : nodes) {
            for (NodeTask.ScanKind scanKind : scanKinds) {
                RunNode t = new RunNode();
                t.id = UUID.randomUUID();
                t.runId = run.id;
                t.seq = tasks.size();
                t.nodeId = node.nodeId();
                t.poolName = node.poolName();
                t.applianceUid = node.applianceUid();
                t.commandId = UUID.randomUUID().toString();
                t.commandType = commandType(run.kind);
                t.scanKind = scanKind;
                t.status = NodeTaskStatus.WAITING;
                if (run.kind == RunKind.RESTORE) {
                    t.stage = NodeTask.Stage.VERIFY;
                    t.output = new TaskOutput(null, restoreArchives.get(node.nodeId()), null);
                }
                tasks.add(t);
            }
        }
        return tasks;
    }

    private static String commandType(RunKind kind) {
        return switch (kind) {
            case SCAN -> EventTypes.SCAN_NODE;
            case BACKUP -> EventTypes.BACKUP_NODE;
            case RESTORE -> EventTypes.RESTORE_NODE;
            case OS_PATCH -> EventTypes.PATCH_NODE;
        };
    }

    private Uni<Void> dispatch(Run run, List<RunNode> tasks) {
        List<RunNode> now = run.kind == RunKind.OS_PATCH ? tasks.subList(0, 1) : tasks;
        return Multi.createFrom()
                .iterable(now)
                .onItem()
                .transformToUniAndConcatenate(t -> send(run, t))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> send(Run run, RunNode task) {
        NodeTask command = switch (run.kind) {
            case SCAN ->
                new NodeTask(
                        task.commandId,
                        run.clusterId,
                        task.nodeId,
                        new NodeTask.Scan(task.scanKind, run.detail.scan().forbiddenPorts()),
                        null,
                        null,
                        null);
            case BACKUP -> {
                PolicySettings.Backup backup = run.detail.backup();
                String key = objectKey(run, task.nodeId);
                String url = store.presignPut(backup.store(), secrets.open(run.storeSecret), key);
                yield new NodeTask(
                        task.commandId,
                        run.clusterId,
                        task.nodeId,
                        null,
                        new NodeTask.Backup(url, key, backup.paths(), backup.includeConfiguration()),
                        null,
                        null);
            }
            case RESTORE -> restoreCommand(run, task, task.commandId, task.stage);
            case OS_PATCH -> {
                PolicySettings.Patch patch = run.detail.patch();
                yield new NodeTask(
                        task.commandId,
                        run.clusterId,
                        task.nodeId,
                        null,
                        null,
                        null,
                        new NodeTask.Patch(
                                patch.command(),
                                Boolean.TRUE.equals(patch.rebootIfRequired()),
                                patch.timeoutSeconds() == null ? 1800 : patch.timeoutSeconds()));
            }
        };
        task.status = NodeTaskStatus.SENT;
        task.sentAt = Instant.now();
        task.lastReportAt = task.sentAt;
        return events.command(
                run.tenant,
                task.applianceUid,
                task.commandType,
                command,
                config.commandTimeout().plus(extraAllowance(run)));
    }

    /** A restore command of this node's task at a stage (a presigned URL made anew: it is valid for hours). */
    private NodeTask restoreCommand(Run run, RunNode task, String commandId, NodeTask.Stage stage) {
        TaskOutput.Archive archive = task.output.archive();
        String url = store.presignGet(run.detail.backup().store(), secrets.open(run.storeSecret), archive.objectKey());
        boolean sameCluster = run.detail.restoreFrom().clusterId().equals(run.clusterId);
        return new NodeTask(
                commandId,
                run.clusterId,
                task.nodeId,
                null,
                null,
                new NodeTask.Restore(url, archive.sha256(), archive.sizeBytes(), sameCluster, stage),
                null);
    }

    /** {@code <prefix>/<tenant>/<cluster>/<run>/<node>.tar.gz}: one cluster's backups side by side, never two writers on a key. */
    static String objectKey(Run run, String nodeId) {
        String prefix = run.detail.backup().store().prefix();
        String base = run.tenant + "/" + run.clusterId + "/" + run.id + "/" + nodeId + ".tar.gz";
        return prefix == null || prefix.isEmpty() ? base : prefix + "/" + base;
    }

    public Uni<Void> onProgress(String tenant, String applianceUid, CommandProgress progress) {
        return ownTask(tenant, applianceUid, progress.commandId()).chain(found -> {
            if (found == null || found.task().status.ended()) {
                return Uni.createFrom().voidItem();
            }
            RunNode task = found.task();
            task.status = NodeTaskStatus.RUNNING;
            task.step = progress.step();
            task.lastReportAt = Instant.now();
            return Uni.createFrom().voidItem();
        });
    }

    public Uni<Void> onResult(String tenant, String applianceUid, CommandResult result) {
        return ownTask(tenant, applianceUid, result.commandId()).chain(found -> {
            if (found == null || found.task().status.ended()) {
                return Uni.createFrom().voidItem(); // not ours, or a repeat
            }
            RunNode task = found.task();
            boolean ok = result.outcome() == CommandResult.Outcome.SUCCEEDED;
            task.status = ok ? NodeTaskStatus.SUCCEEDED : NodeTaskStatus.FAILED;
            task.message = result.message();
            if (task.stage != NodeTask.Stage.UNDO) { // an UNDO's answer names what was put back, not the archive
                task.output =
                        found.run().kind == RunKind.RESTORE ? restored(task.output, result.output()) : result.output();
            }
            task.step = task.stage == NodeTask.Stage.VERIFY && ok ? "verified" : "completed";
            task.lastReportAt = Instant.now();
            task.finishedAt = result.finishedAt() == null ? task.lastReportAt : result.finishedAt();
            return advance(found.run());
        });
    }

    /** A restore's output: the archive it was given (its object key), with what the gateway checked or put back. */
    private static TaskOutput restored(TaskOutput planned, TaskOutput reported) {
        TaskOutput.Archive given = planned == null ? null : planned.archive();
        TaskOutput.Archive got = reported == null ? null : reported.archive();
        if (given == null || got == null) {
            return given == null ? reported : planned;
        }
        return new TaskOutput(
                null, new TaskOutput.Archive(given.objectKey(), got.sizeBytes(), got.sha256(), got.paths()), null);
    }

    private record Found(Run run, RunNode task) {}

    /** The task of this command with its run locked, if the command is ours and came from the right gateway. */
    private static Uni<Found> ownTask(String tenant, String applianceUid, String commandId) {
        return RunNode.<RunNode>find("commandId", commandId).firstResult().chain(task -> {
            if (task == null) {
                return Uni.createFrom().nullItem();
            }
            return Run.lock(task.runId).chain(run -> {
                if (run == null || !run.tenant.equals(tenant) || !task.applianceUid.equals(applianceUid)) {
                    LOG.warnf(
                            "ignoring a report on command %s from appliance '%s' of tenant %s: not the gateway it was sent to",
                            commandId, applianceUid, tenant);
                    return Uni.createFrom().nullItem();
                }
                // the row was read before the run was locked: read it again under the lock
                return RunNode.<RunNode>findById(task.id)
                        .call(t -> Panache.getSession().chain(s -> s.refresh(t)))
                        .map(t -> new Found(run, t));
            });
        });
    }

    /** After a node task ended: the next node (OS patch), or the end of the run. */
    Uni<Void> advance(Run run) {
        if (run.status != RunStatus.RUNNING) {
            return Uni.createFrom().voidItem(); // ended already (timed out): the late result is kept for the record
        }
        return RunNode.ofRun(run.id).chain(tasks -> {
            RunNode failed = tasks.stream()
                    .filter(t -> t.status == NodeTaskStatus.FAILED)
                    .findFirst()
                    .orElse(null);
            List<RunNode> waiting = tasks.stream()
                    .filter(t -> t.status == NodeTaskStatus.WAITING)
                    .toList();
            if (run.kind == RunKind.OS_PATCH && failed != null) {
                waiting.forEach(t -> {
                    t.status = NodeTaskStatus.SKIPPED;
                    t.message = "not patched: node " + failed.nodeId + " failed before it";
                });
            } else if (run.kind == RunKind.OS_PATCH
                    && !waiting.isEmpty()
                    && tasks.stream()
                            .noneMatch(t -> t.status == NodeTaskStatus.SENT || t.status == NodeTaskStatus.RUNNING)) {
                return send(run, waiting.get(0));
            }
            if (tasks.stream().anyMatch(t -> !t.status.ended())) {
                return Uni.createFrom().voidItem();
            }
            if (run.kind == RunKind.RESTORE && tasks.stream().anyMatch(t -> t.stage == NodeTask.Stage.VERIFY)) {
                return failed == null ? apply(run, tasks) : callOff(run, tasks, failed);
            }
            if (run.kind == RunKind.RESTORE && tasks.stream().anyMatch(t -> t.stage == NodeTask.Stage.UNDO)) {
                return undone(run, tasks);
            }
            if (run.kind == RunKind.RESTORE
                    && failed != null
                    && tasks.stream().anyMatch(t -> t.status == NodeTaskStatus.SUCCEEDED)) {
                return undo(run, tasks);
            }
            if (run.kind == RunKind.RESTORE && failed == null) {
                // every node restored: what the gateways saved to undo it is no longer needed
                return discardOnGateways(run, tasks)
                        .chain(() -> finish(Uni.createFrom().item(run), RunStatus.SUCCEEDED, null))
                        .replaceWithVoid();
            }
            if (run.kind == RunKind.BACKUP) {
                run.sizeBytes = tasks.stream()
                        .map(t -> t.output == null ? null : t.output.archive())
                        .filter(Objects::nonNull)
                        .mapToLong(TaskOutput.Archive::sizeBytes)
                        .sum();
            }
            long failures = tasks.stream()
                    .filter(t -> t.status == NodeTaskStatus.FAILED)
                    .count();
            if (failed == null) {
                return finish(Uni.createFrom().item(run), RunStatus.SUCCEEDED, null)
                        .replaceWithVoid();
            }
            String reason = "node " + failed.nodeId + (failed.scanKind == null ? "" : " (" + failed.scanKind + ")")
                    + ": " + failed.message + (failures > 1 ? " (and " + (failures - 1) + " more failed)" : "");
            return finish(Uni.createFrom().item(run), RunStatus.FAILED, reason).replaceWithVoid();
        });
    }

    /** Every node's archive was verified: now each node is restored (APPLY, a new command per node). */
    private Uni<Void> apply(Run run, List<RunNode> tasks) {
        LOG.infof(
                "restore %s on cluster %s: every node's archive verified, restoring the nodes", run.id, run.clusterId);
        for (RunNode t : tasks) {
            t.stage = NodeTask.Stage.APPLY;
            t.commandId = UUID.randomUUID().toString();
            t.status = NodeTaskStatus.WAITING;
            t.message = null;
            t.finishedAt = null;
        }
        return dispatch(run, tasks);
    }

    /**
     * An archive failed (or its gateway stayed silent) while being verified: no node is restored. The nodes whose
     * archive was verified are SKIPPED, and the run fails naming the node and its archive. Every node's gateway is
     * told to discard what it keeps (one that timed out may still be verifying: a gateway takes commands in order, so
     * the discard comes after it; one that refused its archive kept nothing and just answers so).
     */
    private Uni<Void> callOff(Run run, List<RunNode> tasks, RunNode failed) {
        List<RunNode> failures =
                tasks.stream().filter(t -> t.status == NodeTaskStatus.FAILED).toList();
        String archive = failed.output == null || failed.output.archive() == null
                ? ""
                : " (archive " + failed.output.archive().objectKey() + ")";
        String reason = "node " + failed.nodeId + archive + ": " + failed.message
                + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more failed)" : "")
                + "; no node was restored (every node's archive is verified before any node is touched)";
        for (RunNode t : tasks) {
            if (t.status == NodeTaskStatus.SUCCEEDED) {
                t.status = NodeTaskStatus.SKIPPED;
                t.message = "not restored: the archive of node " + failed.nodeId + " failed verification";
            }
        }
        return discardOnGateways(run, tasks)
                .chain(() -> finish(Uni.createFrom().item(run), RunStatus.FAILED, reason))
                .replaceWithVoid();
    }

    /**
     * The restore is over: every node's gateway forgets what it keeps for it (a verified archive, a node's state
     * before APPLY). Untracked commands: their answers match no task and are dropped.
     */
    private Uni<Void> discardOnGateways(Run run, List<RunNode> tasks) {
        return Multi.createFrom()
                .iterable(tasks)
                .onItem()
                .transformToUniAndConcatenate(t -> events.command(
                        run.tenant,
                        t.applianceUid,
                        EventTypes.RESTORE_NODE,
                        restoreCommand(run, t, UUID.randomUUID().toString(), NodeTask.Stage.DISCARD),
                        config.commandTimeout()))
                .collect()
                .last()
                .replaceWithVoid();
    }

    /**
     * APPLY failed on a node (its gateway put it back) while others were restored: those are put back as they were
     * (UNDO, a new command per node), so that the cluster is not left half restored.
     */
    private Uni<Void> undo(Run run, List<RunNode> tasks) {
        List<RunNode> restored =
                tasks.stream().filter(t -> t.status == NodeTaskStatus.SUCCEEDED).toList();
        LOG.infof(
                "restore %s on cluster %s: a node could not be restored, putting %d restored nodes back",
                run.id, run.clusterId, restored.size());
        for (RunNode t : restored) {
            t.stage = NodeTask.Stage.UNDO;
            t.commandId = UUID.randomUUID().toString();
            t.status = NodeTaskStatus.WAITING;
            t.message = null;
            t.finishedAt = null;
        }
        return dispatch(run, restored);
    }

    /** Every restored node was put back (or could not be): the run fails, naming the node that failed and how the others ended. */
    private Uni<Void> undone(Run run, List<RunNode> tasks) {
        List<RunNode> failures = tasks.stream()
                .filter(t -> t.stage == NodeTask.Stage.APPLY && t.status == NodeTaskStatus.FAILED)
                .toList();
        List<RunNode> undone =
                tasks.stream().filter(t -> t.stage == NodeTask.Stage.UNDO).toList();
        List<String> stuck = undone.stream()
                .filter(t -> t.status != NodeTaskStatus.SUCCEEDED)
                .map(t -> "node " + t.nodeId + " (" + t.message + ")")
                .toList();
        RunNode failed = failures.get(0);
        String reason = "node " + failed.nodeId + ": " + failed.message
                + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more failed)" : "") + "; "
                + (stuck.isEmpty()
                        ? "the " + undone.size() + " node(s) restored before it were put back as they were"
                        : "could not put back " + String.join(", ", stuck) + ": the cluster may be half restored");
        return finish(Uni.createFrom().item(run), RunStatus.FAILED, reason).replaceWithVoid();
    }

    private Uni<Run> finish(Uni<Run> persisted, RunStatus status, String reason) {
        return persisted.chain(run -> {
            run.status = status;
            run.reason = reason;
            run.finishedAt = Instant.now();
            LOG.infof(
                    "run %s (%s) on cluster %s %s%s",
                    run.id, run.kind, run.clusterId, status, reason == null ? "" : ": " + reason);
            return events.run(run).replaceWith(run);
        });
    }

    /**
     * A patch command may rightly run longer than the general timeout without a word (the gateway reports when
     * it starts and when it ends): its own timeout, and a margin for the reboot, count on top.
     */
    static Duration extraAllowance(Run run) {
        PolicySettings.Patch patch = run.kind == RunKind.OS_PATCH ? run.detail.patch() : null;
        return patch == null || patch.timeoutSeconds() == null
                ? Duration.ZERO
                : Duration.ofSeconds(patch.timeoutSeconds()).plusMinutes(10);
    }

    /** Fails a task whose gateway stayed silent past the deadline, and its run. */
    public Uni<Void> timeOut(UUID taskId, Instant deadline) {
        return RunNode.<RunNode>findById(taskId)
                .chain(t -> t == null
                        ? Uni.createFrom().voidItem()
                        : Run.lock(t.runId)
                                .chain(run -> RunNode.<RunNode>findById(taskId)
                                        .call(fresh -> Panache.getSession().chain(s -> s.refresh(fresh)))
                                        .chain(task -> {
                                            if (task.status.ended()
                                                    || task.lastReportAt == null
                                                    || task.lastReportAt.isAfter(deadline.minus(extraAllowance(run)))) {
                                                return Uni.createFrom().voidItem();
                                            }
                                            task.status = NodeTaskStatus.FAILED;
                                            // the gateway answers every task it takes with progress: silence since the
                                            // send means it never arrived
                                            task.message = task.lastReportAt.equals(task.sentAt)
                                                    ? "the gateway of appliance " + task.applianceUid
                                                            + " never took the task (offline or unreachable since "
                                                            + task.sentAt + "): it expired undelivered"
                                                    : "no report from the gateway of appliance " + task.applianceUid
                                                            + " since " + task.lastReportAt + " (is it offline?)";
                                            task.finishedAt = Instant.now();
                                            return advance(run);
                                        })));
    }
}
