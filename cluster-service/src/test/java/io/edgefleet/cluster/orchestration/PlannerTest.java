package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.cluster.repository.NodeTarget;
import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.RollingStrategy;
import io.edgefleet.events.payload.ClusterStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner's rules without I/O: masters first and one at a time, workers together, expand-first and
 * contract-first replacement, scaling, teardown, a timed-out command sent again under its id. Each test drives passes like the orchestrator does,
 * completing the commands it sends.
 */
class PlannerTest {

    private static final String V1 = "hash-v1";
    private static final String V2 = "hash-v2";

    private final List<ClusterNode> nodes = new ArrayList<>();
    /** Commands timed out with no result yet, as the orchestrator reads them from the tasks. */
    private final Map<String, Plan.Send.Kind> unanswered = new HashMap<>();

    private String desired = V1;
    private Instant clock = Instant.parse("2026-01-01T00:00:00Z");

    private static PoolSpec pool(
            String name, boolean master, int size, RollingStrategy strategy, String... appliances) {
        return new PoolSpec(
                name,
                master,
                size,
                false,
                strategy,
                1,
                1,
                0,
                0,
                null,
                Arrays.stream(appliances)
                        .map(a -> new Placement(a, null, null, null, null, null))
                        .toList());
    }

    private Plan pass(ClusterStatus status, List<PoolSpec> pools) {
        clock = clock.plusSeconds(1);
        Plan plan = new Planner(
                        "c00000001",
                        status,
                        pools,
                        nodes,
                        (p, uid) -> desired,
                        Planner.appliancesOf(pools, nodes),
                        Set.of(),
                        Set.of(),
                        unanswered,
                        clock)
                .plan();
        nodes.addAll(plan.added());
        plan.sends().forEach(s -> {
            if (s.node() != null) {
                s.node().awaitingCommand =
                        s.again() ? s.node().lastCommand : UUID.randomUUID().toString();
                s.node().lastCommand = s.node().awaitingCommand;
                unanswered.remove(s.node().lastCommand); // its task is open again
                s.node().stage = s.kind() == Plan.Send.Kind.CREATE ? NodeStage.CREATING : NodeStage.DELETING;
                if (s.kind() == Plan.Send.Kind.CREATE) {
                    s.node().specHash = desired;
                }
            }
        });
        return plan;
    }

    /** The gateway reports every command in flight as done. */
    private void completeAll() {
        nodes.stream().filter(n -> n.awaitingCommand != null).forEach(n -> {
            n.stage = n.stage == NodeStage.CREATING ? NodeStage.RUNNING : NodeStage.DELETED;
            n.awaitingCommand = null;
        });
    }

    private static List<String> kinds(Plan plan) {
        return plan.sends().stream()
                .map(s -> s.kind() + ":" + (s.node() == null ? s.applianceUid() : s.node().poolName))
                .toList();
    }

    @Test
    void provisioningCreatesMastersOneAtATimeThenAllWorkersTogether() {
        List<PoolSpec> pools = List.of(
                pool("masters", true, 3, RollingStrategy.EXPAND_FIRST, "a1"),
                pool("workers", false, 2, RollingStrategy.EXPAND_FIRST, "a1", "a2"));
        Plan first = pass(ClusterStatus.PENDING, pools);
        assertEquals(List.of(ClusterStatus.PROVISIONING), first.transitions());
        assertEquals(List.of("CREATE:masters"), kinds(first));
        assertTrue(
                pass(ClusterStatus.PROVISIONING, pools).sends().isEmpty(),
                "nothing more while the first master is created");
        completeAll();
        assertEquals(List.of("CREATE:masters"), kinds(pass(ClusterStatus.PROVISIONING, pools)));
        completeAll();
        assertEquals(List.of("CREATE:masters"), kinds(pass(ClusterStatus.PROVISIONING, pools)));
        completeAll();
        Plan workers = pass(ClusterStatus.PROVISIONING, pools);
        assertEquals(List.of("CREATE:workers", "CREATE:workers"), kinds(workers));
        assertEquals(
                List.of("a1", "a2"),
                workers.sends().stream().map(Plan.Send::applianceUid).toList(),
                "spread over the pool's appliances");
        completeAll();
        assertEquals(
                List.of(ClusterStatus.RUNNING),
                pass(ClusterStatus.PROVISIONING, pools).transitions());
    }

    @Test
    void expandFirstCreatesTheReplacementBeforeDeletingTheOutdatedNode() {
        List<PoolSpec> pools = List.of(pool("masters", true, 1, RollingStrategy.EXPAND_FIRST, "a1"));
        provision(pools);
        desired = V2; // the profile was re-linked
        Plan roll = pass(ClusterStatus.RUNNING, pools);
        assertEquals(List.of(ClusterStatus.UPDATING), roll.transitions());
        assertEquals(List.of("CREATE:masters"), kinds(roll));
        completeAll();
        Plan retire = pass(ClusterStatus.UPDATING, pools);
        assertEquals(List.of("DELETE:masters"), kinds(retire));
        assertEquals(V1, retire.sends().get(0).node().specHash, "the outdated node goes");
        completeAll();
        assertEquals(
                List.of(ClusterStatus.RUNNING),
                pass(ClusterStatus.UPDATING, pools).transitions());
    }

    @Test
    void contractFirstDeletesTheOutdatedNodeBeforeCreatingItsReplacement() {
        List<PoolSpec> pools = List.of(
                pool("masters", true, 1, RollingStrategy.EXPAND_FIRST, "a1"),
                pool("workers", false, 2, RollingStrategy.CONTRACT_FIRST, "a1"));
        provision(pools);
        desired = V2;
        pass(ClusterStatus.RUNNING, pools); // master: expand first
        completeAll();
        pass(ClusterStatus.UPDATING, pools);
        completeAll();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            order.addAll(kinds(pass(ClusterStatus.UPDATING, pools)));
            completeAll();
        }
        assertEquals(
                List.of("DELETE:workers", "CREATE:workers", "DELETE:workers", "CREATE:workers"),
                order,
                "one worker at a time, removed before its replacement is created");
        assertTrue(nodes.stream().filter(ClusterNode::live).allMatch(n -> n.specHash.equals(V2)));
    }

    @Test
    void scalingAddsOrRetiresAllAtOnceNewestFirst() {
        List<PoolSpec> pools = List.of(
                pool("masters", true, 1, RollingStrategy.EXPAND_FIRST, "a1"),
                pool("workers", false, 1, RollingStrategy.EXPAND_FIRST, "a1"));
        provision(pools);
        List<PoolSpec> up = List.of(pools.get(0), pools.get(1).withSize(3, null));
        assertEquals(List.of("CREATE:workers", "CREATE:workers"), kinds(pass(ClusterStatus.UPDATING, up)));
        completeAll();
        ClusterNode oldest = nodes.stream()
                .filter(n -> n.poolName.equals("workers"))
                .findFirst()
                .orElseThrow();
        List<PoolSpec> down = List.of(pools.get(0), pools.get(1).withSize(1, RollingStrategy.CONTRACT_FIRST));
        Plan shrink = pass(ClusterStatus.UPDATING, down);
        assertEquals(List.of("DELETE:workers", "DELETE:workers"), kinds(shrink));
        assertTrue(shrink.sends().stream().noneMatch(s -> s.node() == oldest), "the newest nodes go first");
        completeAll();
        assertEquals(
                List.of(ClusterStatus.RUNNING),
                pass(ClusterStatus.UPDATING, down).transitions());
    }

    @Test
    void abortDeletesBehindACreateUnderWayDropsUnsentNodesThenCleansUpEachAppliance() {
        List<PoolSpec> pools = List.of(
                pool("masters", true, 1, RollingStrategy.EXPAND_FIRST, "a1"),
                pool("workers", false, 2, RollingStrategy.EXPAND_FIRST, "a2"));
        pass(ClusterStatus.PENDING, pools); // the master's create is under way
        ClusterNode master = nodes.get(0);
        ClusterNode unsent = ClusterNode.planned("c00000001", "workers-0001", pools.get(1), "a2", V1, clock);
        nodes.add(unsent);
        Plan abort = pass(ClusterStatus.DELETING, pools);
        assertEquals(List.of("DELETE:masters"), kinds(abort), "the master is deleted right behind its create");
        assertEquals(NodeStage.DELETED, unsent.stage, "a node never sent needs no command");
        assertEquals(NodeTarget.ABSENT, master.target);
        completeAll();
        Plan cleanup = pass(ClusterStatus.DELETING, pools);
        assertEquals(List.of("CLEANUP:a1", "CLEANUP:a2"), kinds(cleanup));
        assertTrue(cleanup.transitions().isEmpty());
        Plan done = new Planner(
                        "c00000001",
                        ClusterStatus.DELETING,
                        pools,
                        nodes,
                        (p, u) -> V1,
                        List.of("a1", "a2"),
                        Set.of("a1", "a2"),
                        Set.of(),
                        Map.of(),
                        clock)
                .plan();
        assertEquals(List.of(ClusterStatus.DELETED), done.transitions());
    }

    @Test
    void aFailedNodeHoldsItsPoolUntilRetry() {
        List<PoolSpec> pools = List.of(pool("masters", true, 1, RollingStrategy.EXPAND_FIRST, "a1"));
        pass(ClusterStatus.PENDING, pools);
        ClusterNode master = nodes.get(0);
        master.awaitingCommand = null;
        master.stage = NodeStage.FAILED;
        assertTrue(pass(ClusterStatus.PROVISIONING, pools).sends().isEmpty(), "no new command for a failed node");
        master.stage = NodeStage.PENDING; // what retry does
        assertEquals(List.of("CREATE:masters"), kinds(pass(ClusterStatus.PROVISIONING, pools)));
    }

    @Test
    void aBrokenNodeIsReplacedExpandFirstWhenItsPoolSaysSo() {
        List<PoolSpec> pools = List.of(
                pool("masters", true, 1, RollingStrategy.EXPAND_FIRST, "a1"),
                pool("workers", false, 2, RollingStrategy.EXPAND_FIRST, "a1", "a2"));
        provision(pools);
        ClusterNode broken = nodes.stream()
                .filter(n -> n.nodeId.startsWith("workers"))
                .reduce((first, second) -> second)
                .orElseThrow();
        broken.broken = true; // a repair could not start it
        Plan replace = pass(ClusterStatus.RUNNING, pools);
        assertEquals(List.of(ClusterStatus.UPDATING), replace.transitions());
        assertEquals(List.of("CREATE:workers"), kinds(replace));
        assertEquals(broken.applianceUid, replace.sends().get(0).applianceUid(), "the replacement takes its place");
        completeAll();
        Plan retire = pass(ClusterStatus.UPDATING, pools);
        assertEquals(List.of("DELETE:workers"), kinds(retire));
        assertTrue(retire.sends().get(0).node() == broken, "the broken node goes, not the older healthy one");
        completeAll();
        assertEquals(
                List.of(ClusterStatus.RUNNING),
                pass(ClusterStatus.UPDATING, pools).transitions());
    }

    @Test
    void aBrokenNodeIsReplacedContractFirstWhenItsPoolSaysSoAndBeforeAnyOutdatedOne() {
        List<PoolSpec> pools = List.of(
                pool("masters", true, 1, RollingStrategy.EXPAND_FIRST, "a1"),
                pool("workers", false, 2, RollingStrategy.CONTRACT_FIRST, "a1"));
        provision(pools);
        ClusterNode older = nodes.stream()
                .filter(n -> n.nodeId.startsWith("workers"))
                .findFirst()
                .orElseThrow();
        ClusterNode broken = nodes.stream()
                .filter(n -> n.nodeId.startsWith("workers") && n != older)
                .findFirst()
                .orElseThrow();
        older.specHash = "hash-v0"; // outdated, and older
        broken.broken = true;
        Plan retire = pass(ClusterStatus.RUNNING, pools);
        assertEquals(List.of("DELETE:workers"), kinds(retire));
        assertTrue(retire.sends().get(0).node() == broken, "broken before outdated");
        completeAll();
        assertEquals(List.of("CREATE:workers"), kinds(pass(ClusterStatus.UPDATING, pools)));
    }

    /** The command under way for the node got no report in time: node and cluster FAILED, the command unanswered. */
    private void timeOut(ClusterNode n) {
        unanswered.put(
                n.awaitingCommand, n.stage == NodeStage.CREATING ? Plan.Send.Kind.CREATE : Plan.Send.Kind.DELETE);
        n.awaitingCommand = null;
        n.stage = NodeStage.FAILED;
    }

    /** What a resume (retry, abort of a FAILED cluster, a late result) does to the FAILED nodes. */
    private void resume() {
        nodes.stream().filter(n -> n.stage == NodeStage.FAILED).forEach(n -> n.stage = NodeStage.PENDING);
    }

    private static List<String> again(Plan plan) {
        return plan.sends().stream()
                .map(s -> s.kind() + ":" + s.node().poolName + (s.again() ? " again" : ""))
                .toList();
    }

    @Test
    void deletesTimedOutUnansweredAreSentAgainUnderTheirIdsWhenTheDeleteResumes() {
        List<PoolSpec> pools = List.of(
                pool("masters", true, 1, RollingStrategy.EXPAND_FIRST, "a1"),
                pool("workers", false, 2, RollingStrategy.EXPAND_FIRST, "a1"));
        provision(pools);
        pass(ClusterStatus.DELETING, pools); // an abort or a delete: every node's delete is under way
        Map<String, String> deletes = new HashMap<>();
        nodes.forEach(n -> deletes.put(n.nodeId, n.awaitingCommand));
        nodes.forEach(this::timeOut); // the reports lag behind the timeout: the cluster FAILED
        ClusterNode first = nodes.get(0);
        first.stage = NodeStage.DELETED; // its late result came: the resume it starts leaves it alone
        unanswered.remove(first.lastCommand);
        resume();

        Plan resumed = pass(ClusterStatus.DELETING, pools);
        assertEquals(
                List.of("DELETE:workers again", "DELETE:workers again"),
                again(resumed),
                "the same deletes, not new ones: the gateway runs each once");
        nodes.stream()
                .filter(n -> n != first)
                .forEach(n -> assertEquals(deletes.get(n.nodeId), n.awaitingCommand, n.nodeId));
        completeAll();
        assertEquals(List.of("CLEANUP:a1"), kinds(pass(ClusterStatus.DELETING, pools)));
    }

    @Test
    void aCreateTimedOutUnansweredIsSentAgainUnderItsIdOnRetryWhileItsSpecIsStillTheDesiredOne() {
        List<PoolSpec> pools = List.of(
                pool("masters", true, 1, RollingStrategy.EXPAND_FIRST, "a1"),
                pool("workers", false, 2, RollingStrategy.EXPAND_FIRST, "a1"));
        pass(ClusterStatus.PENDING, pools);
        completeAll();
        pass(ClusterStatus.PROVISIONING, pools); // both workers' creates under way
        List<ClusterNode> workers =
                nodes.stream().filter(n -> n.poolName.equals("workers")).toList();
        String created = workers.get(0).awaitingCommand;
        workers.forEach(this::timeOut);
        resume(); // the operator's retry

        assertEquals(
                List.of("CREATE:workers again", "CREATE:workers again"),
                again(pass(ClusterStatus.PROVISIONING, pools)));
        assertEquals(created, workers.get(0).awaitingCommand);

        workers.forEach(this::timeOut); // silent again; meanwhile the profile changed: the old create is not it
        desired = V2;
        resume();
        Plan changed = pass(ClusterStatus.PROVISIONING, pools);
        assertTrue(changed.sends().stream().noneMatch(Plan.Send::again), "a create of another spec is a new one");
        assertFalse(changed.sends().isEmpty());
    }

    @Test
    void aRetrySendsANewCreateAfterAFailureItsGatewayReported() {
        List<PoolSpec> pools = List.of(
                pool("masters", true, 1, RollingStrategy.EXPAND_FIRST, "a1"),
                pool("workers", false, 2, RollingStrategy.EXPAND_FIRST, "a1"));
        pass(ClusterStatus.PENDING, pools);
        completeAll();
        pass(ClusterStatus.PROVISIONING, pools);
        List<ClusterNode> workers =
                nodes.stream().filter(n -> n.poolName.equals("workers")).toList();
        timeOut(workers.get(0)); // silent
        String failed = workers.get(1).awaitingCommand;
        workers.get(1).awaitingCommand = null; // its gateway ran it and reported a failure: a repeat would say so again
        workers.get(1).stage = NodeStage.FAILED;
        resume();
        assertEquals(List.of("CREATE:workers again", "CREATE:workers"), again(pass(ClusterStatus.PROVISIONING, pools)));
        assertTrue(!failed.equals(workers.get(1).awaitingCommand), "a new command id");
    }

    @Test
    void anAbortAfterACreateTimedOutDeletesTheNodeWithANewCommand() {
        List<PoolSpec> pools = List.of(
                pool("masters", true, 1, RollingStrategy.EXPAND_FIRST, "a1"),
                pool("workers", false, 1, RollingStrategy.EXPAND_FIRST, "a1"));
        pass(ClusterStatus.PENDING, pools);
        completeAll();
        pass(ClusterStatus.PROVISIONING, pools);
        ClusterNode worker = nodes.get(1);
        String create = worker.awaitingCommand;
        timeOut(worker);
        resume(); // abort of the FAILED cluster
        assertEquals(
                List.of("DELETE:masters", "DELETE:workers"),
                again(pass(ClusterStatus.DELETING, pools)),
                "the node needs a delete (its gateway runs it after the create, if that came), not the create again");
        assertTrue(!create.equals(worker.awaitingCommand));
    }

    private void provision(List<PoolSpec> pools) {
        pass(ClusterStatus.PENDING, pools);
        for (int i = 0; i < 10; i++) {
            completeAll();
            if (pass(ClusterStatus.PROVISIONING, pools).transitions().contains(ClusterStatus.RUNNING)) {
                return;
            }
        }
        throw new AssertionError("did not provision");
    }
}
