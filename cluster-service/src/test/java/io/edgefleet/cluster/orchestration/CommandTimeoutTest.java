package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.cluster.repository.NodeTarget;
import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.cluster.repository.RollingStrategy;
import io.edgefleet.cluster.repository.TaskStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a command that got no result in time means, without I/O. */
class CommandTimeoutTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final PoolSpec WORKERS = new PoolSpec(
            "workers",
            false,
            1,
            false,
            RollingStrategy.EXPAND_FIRST,
            1,
            1,
            0,
            0,
            null,
            List.of(new Placement("shop-1", null, null, null, null, null)));

    private static ProvisioningTask task(String kind, String nodeId, String commandId) {
        ProvisioningTask t = new ProvisioningTask();
        t.kind = kind;
        t.nodeId = nodeId;
        t.commandId = commandId;
        t.status = TaskStatus.RUNNING;
        return t;
    }

    private static ClusterNode node(NodeStage stage, NodeTarget target, String awaiting) {
        ClusterNode n = ClusterNode.planned("c00000001", "workers-1", WORKERS, "shop-1", "h", NOW);
        n.stage = stage;
        n.target = target;
        n.awaitingCommand = awaiting;
        n.lastCommand = awaiting;
        return n;
    }

    @Test
    void theNodesCurrentCreateOrDeleteFailsTheCluster() {
        assertEquals(
                CommandTimeout.Consequence.FAILS_CLUSTER,
                CommandTimeout.of(
                        task(ProvisioningTask.CREATE_NODE, "workers-1", "create-1"),
                        node(NodeStage.CREATING, NodeTarget.PRESENT, "create-1")));
        assertEquals(
                CommandTimeout.Consequence.FAILS_CLUSTER,
                CommandTimeout.of(
                        task(ProvisioningTask.DELETE_NODE, "workers-1", "delete-1"),
                        node(NodeStage.DELETING, NodeTarget.ABSENT, "delete-1")));
        assertEquals(
                CommandTimeout.Consequence.FAILS_CLUSTER,
                CommandTimeout.of(task(ProvisioningTask.CLEANUP_CLUSTER, null, "cleanup-1"), null));
    }

    @Test
    void aCreateAnAbortsDeleteReplacedOnlyFailsItsTask() {
        // the abort sent the delete right behind the create: the node waits for the delete now
        assertEquals(
                CommandTimeout.Consequence.SUPERSEDED,
                CommandTimeout.of(
                        task(ProvisioningTask.CREATE_NODE, "workers-1", "create-1"),
                        node(NodeStage.CREATING, NodeTarget.ABSENT, "delete-1")));
    }

    @Test
    void anUnansweredRepairFailsNeitherTheNodeNorTheCluster() {
        ClusterNode down = node(NodeStage.RUNNING, NodeTarget.PRESENT, "start-1");
        down.lastCommand = "create-1"; // a start does not replace the create that made the node
        down.observedState = "STOPPED";
        down.downSince = NOW.minusSeconds(600);
        assertEquals(
                CommandTimeout.Consequence.REPAIR_UNANSWERED,
                CommandTimeout.of(task(ProvisioningTask.START_NODE, "workers-1", "start-1"), down));
    }
}
