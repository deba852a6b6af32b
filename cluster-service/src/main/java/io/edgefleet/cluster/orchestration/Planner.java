package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.cluster.repository.NodeTarget;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.RollingStrategy;
import io.edgefleet.events.payload.ClusterStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Decides the next step of one cluster from what it should be (pools, desired spec hashes) and what it
 * is (its nodes). No I/O: the {@link Orchestrator} loads the state, runs a pass and carries the plan out.
 * <p>
 * The rules, in order:
 * <ul>
 *   <li>A pool changes only when it is <em>settled</em>: every node has reached its target and awaits no
 *   result. Until then the pass only sends what was decided and not sent yet.</li>
 *   <li>The master pool goes first; worker pools start only once the masters are settled, complete and
 *   up to date. Masters change one node at a time (each joins the control plane the previous one formed); workers
 *   add or remove all missing or surplus nodes at once, in one pass: their gateways make them side by side (one
 *   command lane per node, at most {@code commands.max-concurrent} per appliance), so a pool's size bounds nothing
 *   here.</li>
 *   <li>Too few live nodes: add (on the appliance with the fewest nodes of the pool). Too many: retire,
 *   outdated ones first, then the newest.</li>
 *   <li>Outdated nodes (a spec hash other than the desired one, or {@linkplain ClusterNode#broken broken}: a repair
 *   could not start them; those first) are replaced one at a time per pool:
 *   {@link RollingStrategy#EXPAND_FIRST} adds the replacement first (the pool then has one node too
 *   many, and the next settled pass retires the outdated one); {@link RollingStrategy#CONTRACT_FIRST}
 *   retires first (the pool then has one too few, and the next pass adds).</li>
 *   <li>Deleting: every node is retired at once (also one whose create is still under way: the gateway
 *   runs one node's commands in order), then each appliance is cleaned up, then the cluster is DELETED.</li>
 *   <li>A node whose last command timed out unanswered (its gateway may have run it: reports can lag behind the
 *   timeout) gets that same command again, under its id, when it still needs what the command does: the gateway
 *   runs a command id once and answers a repeat from its store, so the node is made or removed once. A create is
 *   sent again only while the node's spec is still the desired one; one the node no longer needs (a create before an
 *   abort) or one that failed (its gateway said so) is followed by a new command.</li>
 * </ul>
 */
public final class Planner {

    private final ClusterStatus status;
    private final List<PoolSpec> pools;
    private final List<ClusterNode> nodes;
    private final BiFunction<PoolSpec, String, String> desiredHash;
    private final List<String> clusterAppliances;
    private final Set<String> cleanedUp;
    private final Set<String> cleaningUp;
    private final Map<String, Plan.Send.Kind> unanswered;
    private final String clusterId;
    private final Instant now;
    private final Set<String> takenIds = new HashSet<>();
    private final Plan plan = new Plan();

    /**
     * @param desiredHash       the spec hash a node of the pool on the appliance should have
     * @param clusterAppliances every appliance that may hold something of the cluster (cleaned up when deleting)
     * @param cleanedUp         appliances whose cleanup succeeded
     * @param cleaningUp        appliances with a cleanup under way
     * @param unanswered        node commands that timed out and whose result never came, by command id: what each was
     */
    public Planner(
            String clusterId,
            ClusterStatus status,
            List<PoolSpec> pools,
            List<ClusterNode> nodes,
            BiFunction<PoolSpec, String, String> desiredHash,
            List<String> clusterAppliances,
            Set<String> cleanedUp,
            Set<String> cleaningUp,
            Map<String, Plan.Send.Kind> unanswered,
            Instant now) {
        this.clusterId = clusterId;
        this.status = status;
        this.pools = pools;
        this.nodes = new ArrayList<>(nodes);
        this.desiredHash = desiredHash;
        this.clusterAppliances = clusterAppliances;
        this.cleanedUp = cleanedUp;
        this.cleaningUp = cleaningUp;
        this.unanswered = unanswered;
        this.now = now;
        nodes.forEach(n -> takenIds.add(n.nodeId));
    }

    public Plan plan() {
        switch (status) {
            case PENDING -> {
                plan.transitions.add(ClusterStatus.PROVISIONING);
                if (build()) {
                    plan.transitions.add(
                            ClusterStatus.RUNNING); // nothing to create (cannot happen: a master pool has a node)
                }
            }
            case PROVISIONING, UPDATING -> {
                if (build()) {
                    plan.transitions.add(ClusterStatus.RUNNING);
                }
            }
            case RUNNING -> {
                // a re-link or a definition change left work: roll it as an update
                if (!build()) {
                    plan.transitions.add(ClusterStatus.UPDATING);
                }
            }
            case DELETING -> {
                if (tearDown()) {
                    plan.transitions.add(ClusterStatus.DELETED);
                }
            }
            case FAILED, DELETED -> {
                // a failed cluster waits for retry (or abort/delete); a deleted one is history
            }
        }
        return plan;
    }

    /** Works on the pools, masters first. Returns whether every pool is settled, complete and up to date. */
    private boolean build() {
        PoolSpec masters = pools.stream().filter(PoolSpec::master).findFirst().orElseThrow();
        if (!step(masters, true)) {
            return false;
        }
        boolean done = true;
        for (PoolSpec pool : pools) {
            if (!pool.master()) {
                done &= step(pool, false);
            }
        }
        return done;
    }

    /** One pool: send what is decided, or when settled decide the next change. Returns whether it is done. */
    private boolean step(PoolSpec pool, boolean oneAtATime) {
        List<ClusterNode> ofPool = nodes.stream()
                .filter(n -> n.poolName.equals(pool.name()) && !n.gone())
                .toList();
        if (!ofPool.stream().allMatch(ClusterNode::settled)) {
            ofPool.forEach(this::dispatch);
            return false;
        }
        List<ClusterNode> live = ofPool.stream().filter(ClusterNode::live).toList();
        List<ClusterNode> outdated =
                live.stream().filter(n -> !upToDate(pool, n)).toList();
        if (live.size() < pool.size()) {
            int missing = oneAtATime ? 1 : pool.size() - live.size();
            for (int i = 0; i < missing; i++) {
                add(pool, leastLoaded(pool));
            }
            return false;
        }
        if (live.size() > pool.size()) {
            int surplus = oneAtATime ? 1 : live.size() - pool.size();
            retirementOrder(pool, live).stream().limit(surplus).forEach(this::retire);
            return false;
        }
        if (!outdated.isEmpty()) {
            ClusterNode oldest = outdated.stream()
                    .min(Comparator.comparing((ClusterNode n) -> !n.broken).thenComparing(n -> n.createdAt))
                    .orElseThrow();
            if (pool.rollingStrategy() == RollingStrategy.CONTRACT_FIRST) {
                retire(oldest);
            } else {
                add(pool, oldest.applianceUid); // its replacement, on the same appliance
            }
            return false;
        }
        return true;
    }

    /** Removes everything, then cleans up every appliance. Returns whether the cluster is gone. */
    private boolean tearDown() {
        boolean nodesGone = true;
        for (ClusterNode n : nodes) {
            if (n.gone()) {
                continue;
            }
            n.target = NodeTarget.ABSENT;
            if (n.stage == NodeStage.CREATING && n.awaitingCommand != null) {
                // the create may still run: delete right behind it (the gateway keeps a node's commands in order)
                plan.sends.add(new Plan.Send(Plan.Send.Kind.DELETE, n, n.applianceUid));
            } else {
                dispatch(n);
            }
            nodesGone &= n.gone();
        }
        if (!nodesGone) {
            return false;
        }
        boolean clean = true;
        for (String uid : clusterAppliances) {
            if (!cleanedUp.contains(uid)) {
                clean = false;
                if (!cleaningUp.contains(uid)) {
                    plan.sends.add(new Plan.Send(Plan.Send.Kind.CLEANUP, null, uid));
                }
            }
        }
        return clean;
    }

    /** Sends the command a node needs to reach its target, unless one is under way (or it failed: retry decides). */
    private void dispatch(ClusterNode n) {
        if (n.awaitingCommand != null || n.stage == NodeStage.FAILED || n.settled()) {
            return;
        }
        if (n.target == NodeTarget.PRESENT) {
            if (n.stage == NodeStage.PENDING) {
                boolean again = unanswered(n) == Plan.Send.Kind.CREATE && upToDate(n);
                plan.sends.add(new Plan.Send(Plan.Send.Kind.CREATE, n, n.applianceUid, again));
            }
            return;
        }
        if (n.stage == NodeStage.PENDING && unanswered(n) == Plan.Send.Kind.DELETE) {
            plan.sends.add(new Plan.Send(Plan.Send.Kind.DELETE, n, n.applianceUid, true));
        } else if (n.stage == NodeStage.PENDING && n.lastCommand == null) {
            n.stage = NodeStage.DELETED; // never sent: nothing exists on the appliance
            n.updatedAt = now;
            n.message = "dropped before it was created";
            plan.dropped.add(n);
        } else {
            plan.sends.add(new Plan.Send(Plan.Send.Kind.DELETE, n, n.applianceUid));
        }
    }

    private void add(PoolSpec pool, String applianceUid) {
        String nodeId = NodeIds.nodeId(pool.name(), takenIds);
        takenIds.add(nodeId);
        ClusterNode n =
                ClusterNode.planned(clusterId, nodeId, pool, applianceUid, desiredHash.apply(pool, applianceUid), now);
        nodes.add(n);
        plan.added.add(n);
        dispatch(n);
    }

    private void retire(ClusterNode n) {
        n.target = NodeTarget.ABSENT;
        n.updatedAt = now;
        dispatch(n);
    }

    /** The pool's appliance with the fewest live nodes of the pool (the first such in the pool's order). */
    private String leastLoaded(PoolSpec pool) {
        Map<String, Integer> load = load(pool);
        return pool.appliances().stream()
                .map(p -> p.uid())
                .min(Comparator.comparingInt(uid -> load.getOrDefault(uid, 0)))
                .orElseThrow();
    }

    /** What its last create or delete was, if that command timed out and its result never came; else null. */
    private Plan.Send.Kind unanswered(ClusterNode n) {
        return n.lastCommand == null ? null : unanswered.get(n.lastCommand);
    }

    /** Its spec is the desired one (its pool may be gone: a node of a removed pool is not). */
    private boolean upToDate(ClusterNode n) {
        return pools.stream()
                .filter(p -> p.name().equals(n.poolName))
                .findFirst()
                .map(p -> n.specHash != null && n.specHash.equals(desiredHash.apply(p, n.applianceUid)))
                .orElse(false);
    }

    /** Its spec is the desired one and nothing calls for its replacement. */
    private boolean upToDate(PoolSpec pool, ClusterNode n) {
        return !n.broken && n.specHash.equals(desiredHash.apply(pool, n.applianceUid));
    }

    /**
     * Broken first, then outdated, then those on the most loaded appliance, then the newest (the last id among
     * equals).
     */
    private List<ClusterNode> retirementOrder(PoolSpec pool, List<ClusterNode> live) {
        Map<String, Integer> load = load(pool);
        return live.stream()
                .sorted(Comparator.comparing((ClusterNode n) -> !n.broken)
                        .thenComparing(n -> upToDate(pool, n))
                        .thenComparing(n -> -load.getOrDefault(n.applianceUid, 0))
                        .thenComparing((ClusterNode n) -> n.createdAt, Comparator.reverseOrder())
                        .thenComparing((ClusterNode n) -> n.nodeId, Comparator.reverseOrder()))
                .toList();
    }

    private Map<String, Integer> load(PoolSpec pool) {
        Map<String, Integer> load = new HashMap<>();
        nodes.stream()
                .filter(n -> n.poolName.equals(pool.name()) && n.live())
                .forEach(n -> load.merge(n.applianceUid, 1, Integer::sum));
        return load;
    }

    /** Every appliance of the pools and of any node that ever existed: where the cluster may have left something. */
    public static List<String> appliancesOf(List<PoolSpec> pools, List<ClusterNode> nodes) {
        Set<String> uids = new LinkedHashSet<>();
        pools.forEach(p -> p.appliances().forEach(a -> uids.add(a.uid())));
        nodes.forEach(n -> uids.add(n.applianceUid));
        return List.copyOf(uids);
    }
}
