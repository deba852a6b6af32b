package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.bootstrap.NodeSpecRenderer;
import io.edgefleet.cluster.bootstrap.RenderException;
import io.edgefleet.cluster.bootstrap.StackValues;
import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.messaging.out.ClusterEventPublisher;
import io.edgefleet.cluster.messaging.out.NodeCommandPublisher;
import io.edgefleet.cluster.messaging.out.OsPatchReplyPublisher;
import io.edgefleet.cluster.repository.ApplianceClaimRepository;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.cluster.repository.TaskStatus;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.ClusterHealth;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeSpec;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Carries out the {@link Planner}'s decisions: status transitions (each a task and an event), new node
 * rows, and node commands to the gateways (each a task; the command id is kept on the node so its result
 * is matched, and a command is never sent twice for one step); and {@link NodeHealth}'s: the cluster's health (a
 * task and an event when it changes) and the starts of nodes down past the grace period. Every method runs inside
 * the caller's transaction with the cluster row locked ({@link Cluster#lock}).
 */
@ApplicationScoped
public class Orchestrator {

    private static final Logger LOG = Logger.getLogger(Orchestrator.class);

    @Inject
    ClusterEventPublisher events;

    @Inject
    NodeCommandPublisher commands;

    @Inject
    ApplianceClaimRepository claims;

    @Inject
    ProvisioningTasks tasks;

    @Inject
    ClusterConfig config;

    @Inject
    OsPatchReplyPublisher osPatchReplies;

    private NodeSpecRenderer renderer;

    @PostConstruct
    void init() {
        renderer = new NodeSpecRenderer(config.nodeImage());
    }

    public NodeSpecRenderer renderer() {
        return renderer;
    }

    public static Uni<List<ClusterNode>> nodesOf(String clusterId) {
        return ClusterNode.list("clusterId = ?1 order by createdAt, nodeId", clusterId);
    }

    /** Moves the cluster on as far as it can without waiting for a gateway. */
    public Uni<Void> reconcile(Cluster cluster) {
        return nodesOf(cluster.id).chain(nodes -> reconcile(cluster, nodes));
    }

    public Uni<Void> reconcile(Cluster cluster, List<ClusterNode> nodes) {
        if (cluster.status == ClusterStatus.FAILED || cluster.status == ClusterStatus.DELETED) {
            return health(cluster, nodes); // nothing to plan, but what runs is still worth saying
        }
        Instant now = Instant.now();
        StackValues stack;
        Map<String, String> hashes;
        try {
            stack = StackValues.of(cluster.profiles, cluster.packValues);
            hashes = desiredHashes(cluster, stack);
        } catch (RenderException e) {
            if (cluster.status == ClusterStatus.DELETING) {
                stack = null; // deleting needs no spec
                hashes = Map.of();
            } else {
                return fail(cluster, nodes, null, "cannot render the nodes: " + e.field() + ": " + e.getMessage());
            }
        }
        StackValues values = stack;
        Map<String, String> desired = hashes;
        return cleanups(cluster.id)
                .chain(cleanup -> unanswered(cluster.id).chain(unanswered -> {
                    Planner planner = new Planner(
                            cluster.id,
                            cluster.status,
                            cluster.pools(),
                            nodes,
                            (pool, uid) -> desired.get(key(pool.name(), uid)),
                            Planner.appliancesOf(cluster.pools(), nodes),
                            cleanup.done(),
                            cleanup.running(),
                            unanswered,
                            now);
                    return apply(cluster, nodes, values, desired, planner.plan(), now);
                }));
    }

    private Uni<Void> apply(
            Cluster cluster,
            List<ClusterNode> nodes,
            StackValues stack,
            Map<String, String> hashes,
            Plan plan,
            Instant now) {
        List<ClusterNode> all = new ArrayList<>(nodes);
        all.addAll(plan.added());
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        plan.transitions().forEach(to -> steps.add(() -> transition(cluster, all, to, null)));
        plan.added().forEach(n -> steps.add(n::persist));
        plan.sends().forEach(s -> steps.add(() -> send(cluster, stack, hashes, s, now)));
        if (plan.changesNodes() && plan.transitions().isEmpty()) {
            steps.add(() -> events.publish(cluster, all, EventTypes.CLUSTER_UPDATED));
        }
        if (plan.transitions().contains(ClusterStatus.DELETED)) {
            steps.add(() -> claims.release(cluster.id)); // the appliances are free again
        }
        steps.add(() -> health(cluster, all));
        return sequence(steps);
    }

    /**
     * Records the cluster's health as {@link NodeHealth} assesses it — a {@code health} task and a
     * {@code cluster.updated} event when it or its reason changes — and starts again the nodes down past
     * {@code cluster.node-repair-after} (a start-node task each).
     */
    public Uni<Void> health(Cluster cluster, List<ClusterNode> nodes) {
        Instant now = Instant.now();
        NodeHealth.Assessment a = NodeHealth.assess(cluster.status, nodes, now, config.nodeRepairAfter());
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        if (a.health() != cluster.health || !Objects.equals(a.reason(), cluster.healthReason)) {
            ClusterHealth from = cluster.health;
            String message = (from == a.health() ? a.health().name() : from + " → " + a.health())
                    + (a.reason() == null ? ": every node that should run runs" : ": " + a.reason());
            LOG.infof("cluster %s (%s, tenant %s) health: %s", cluster.id, cluster.name, cluster.tenant, message);
            cluster.health = a.health();
            cluster.healthReason = a.reason();
            cluster.updatedAt = now;
            steps.add(() -> tasks.record(
                    cluster,
                    ProvisioningTask.HEALTH,
                    a.health() == ClusterHealth.HEALTHY ? TaskStatus.SUCCEEDED : TaskStatus.FAILED,
                    message,
                    now));
            steps.add(() -> events.publish(cluster, nodes, EventTypes.CLUSTER_UPDATED));
        }
        a.toStart()
                .forEach(n -> steps.add(() ->
                        send(cluster, null, Map.of(), new Plan.Send(Plan.Send.Kind.START, n, n.applianceUid), now)));
        return sequence(steps);
    }

    /**
     * One command for one node (or appliance): its task, the node's bookkeeping, the command in the outbox. Sent
     * {@linkplain Plan.Send#again again}, it is the node's last command under its id, and its task is reopened.
     */
    private Uni<Void> send(
            Cluster cluster, StackValues stack, Map<String, String> hashes, Plan.Send send, Instant now) {
        String commandId =
                send.again() ? send.node().lastCommand : UUID.randomUUID().toString();
        ClusterNode node = send.node();
        String type;
        String kind;
        NodeSpec spec = null;
        switch (send.kind()) {
            case CREATE -> {
                PoolSpec pool = cluster.pool(node.poolName).orElseThrow();
                spec = renderer.render(cluster, stack, pool, node.applianceUid, node.nodeId);
                node.specHash = hashes.get(key(pool.name(), node.applianceUid));
                node.stage = NodeStage.CREATING;
                type = EventTypes.CREATE_NODE;
                kind = ProvisioningTask.CREATE_NODE;
            }
            case DELETE -> {
                node.stage = NodeStage.DELETING;
                type = EventTypes.DELETE_NODE;
                kind = ProvisioningTask.DELETE_NODE;
            }
            case START -> { // a repair: the node stays RUNNING (created, meant to run) and down until the result
                type = EventTypes.START_NODE;
                kind = ProvisioningTask.START_NODE;
            }
            default -> {
                type = EventTypes.CLEANUP_CLUSTER;
                kind = ProvisioningTask.CLEANUP_CLUSTER;
            }
        }
        String nodeId = node == null ? null : node.nodeId;
        if (node != null) {
            node.awaitingCommand = commandId;
            if (send.kind() != Plan.Send.Kind.START) {
                node.lastCommand = commandId;
                node.message = null;
            } // a node being started is still the one its create made (whose id its gateway reports), and keeps
            // why it is down until it runs
            node.updatedAt = now;
        }
        String message = switch (send.kind()) {
            case CREATE ->
                "create node " + nodeId + " (" + node.role.name().toLowerCase() + ", pool " + node.poolName
                        + ") on appliance " + send.applianceUid();
            case DELETE -> "delete node " + nodeId + " on appliance " + send.applianceUid();
            case START ->
                "start node " + nodeId + " on appliance " + send.applianceUid() + " again: " + node.observedState
                        + " since " + node.downSince;
            case CLEANUP -> "clean up the cluster's resources on appliance " + send.applianceUid();
        };
        NodeCommand command = new NodeCommand(commandId, cluster.id, nodeId, spec);
        Uni<?> task = send.again()
                ? tasks.reopen(
                        cluster,
                        commandId,
                        message + ", sent again under the same command id: it timed out with no result",
                        now)
                : tasks.open(cluster, kind, nodeId, send.applianceUid(), commandId, message, now);
        return task.chain(() -> commands.send(cluster.tenant, send.applianceUid(), type, command));
    }

    /** A status change: its own task and a lifecycle event. */
    public Uni<Void> transition(Cluster cluster, List<ClusterNode> nodes, ClusterStatus to, String reason) {
        Instant now = Instant.now();
        ClusterStatus from = cluster.status;
        LOG.infof(
                "cluster %s (%s, tenant %s): %s -> %s%s",
                cluster.id, cluster.name, cluster.tenant, from, to, reason == null ? "" : ": " + reason);
        if (to == ClusterStatus.FAILED) {
            cluster.failedFrom = from;
        } else {
            cluster.failedFrom = null;
            cluster.failedTaskSeq = null;
        }
        cluster.status = to;
        cluster.statusReason = reason;
        cluster.updatedAt = now;
        String message = from + " → " + to + (reason == null ? "" : ": " + reason);
        return tasks.record(
                        cluster,
                        ProvisioningTask.STATUS,
                        to == ClusterStatus.FAILED ? TaskStatus.FAILED : TaskStatus.SUCCEEDED,
                        message,
                        now)
                .chain(() -> events.publish(cluster, nodes, ClusterEventPublisher.typeOf(to)))
                .chain(() -> osPatchReplies.onStatus(cluster, to, reason));
    }

    /** The cluster stops (FAILED with the reason); what is under way still reports and is recorded. */
    public Uni<Void> fail(Cluster cluster, List<ClusterNode> nodes, ProvisioningTask failed, String reason) {
        if (cluster.status == ClusterStatus.FAILED || cluster.status == ClusterStatus.DELETED) {
            return Uni.createFrom().voidItem();
        }
        Long seq = failed == null ? null : failed.seq;
        return transition(cluster, nodes, ClusterStatus.FAILED, reason).invoke(() -> cluster.failedTaskSeq = seq);
    }

    /**
     * Back to where a FAILED cluster stopped ({@code to}), failed nodes ready for their next command, then on. The
     * planner decides which: a command that timed out with no result and is still what the node needs goes again
     * under its id (the gateway runs an id once and answers a repeat from its store, so a command it did run is not
     * run twice, whatever the reports' lag); any other gets a new id (one its gateway answered FAILED would only be
     * answered FAILED again).
     */
    public Uni<Void> resume(Cluster cluster, List<ClusterNode> nodes, ClusterStatus to, String why) {
        Instant now = Instant.now();
        for (ClusterNode n : nodes) {
            if (n.stage == NodeStage.FAILED) {
                n.stage = NodeStage.PENDING;
                n.awaitingCommand = null;
                n.updatedAt = now;
            }
        }
        return transition(cluster, nodes, to, why).chain(() -> reconcile(cluster, nodes));
    }

    private Map<String, String> desiredHashes(Cluster cluster, StackValues stack) {
        Map<String, String> hashes = new HashMap<>();
        for (PoolSpec pool : cluster.pools()) {
            pool.appliances()
                    .forEach(p ->
                            hashes.put(key(pool.name(), p.uid()), renderer.specHash(cluster, stack, pool, p.uid())));
        }
        return hashes;
    }

    private static String key(String pool, String uid) {
        return pool + "\u0000" + uid;
    }

    record Cleanups(Set<String> done, Set<String> running) {}

    /** The cluster's create and delete commands that timed out and whose result never came: what each was. */
    private static Uni<Map<String, Plan.Send.Kind>> unanswered(String clusterId) {
        return ProvisioningTask.<ProvisioningTask>list(
                        "clusterId = ?1 and timedOut = true and kind in ?2",
                        clusterId,
                        List.of(ProvisioningTask.CREATE_NODE, ProvisioningTask.DELETE_NODE))
                .map(list -> {
                    Map<String, Plan.Send.Kind> kinds = new HashMap<>();
                    list.forEach(t -> kinds.put(
                            t.commandId,
                            ProvisioningTask.CREATE_NODE.equals(t.kind)
                                    ? Plan.Send.Kind.CREATE
                                    : Plan.Send.Kind.DELETE));
                    return kinds;
                });
    }

    private static Uni<Cleanups> cleanups(String clusterId) {
        return ProvisioningTask.<ProvisioningTask>list(
                        "clusterId = ?1 and kind = ?2", clusterId, ProvisioningTask.CLEANUP_CLUSTER)
                .map(list -> {
                    Set<String> done = new HashSet<>();
                    Set<String> running = new HashSet<>();
                    list.forEach(t -> {
                        if (t.status == TaskStatus.SUCCEEDED) {
                            done.add(t.applianceUid);
                        } else if (t.status == TaskStatus.RUNNING) {
                            running.add(t.applianceUid);
                        }
                    });
                    return new Cleanups(done, running);
                });
    }

    /** Runs the steps one after the other: one session runs one statement at a time. */
    static Uni<Void> sequence(List<Supplier<Uni<?>>> steps) {
        Uni<?> chain = Uni.createFrom().voidItem();
        for (Supplier<Uni<?>> step : steps) {
            chain = chain.chain(step::get);
        }
        return chain.replaceWithVoid();
    }
}
