package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.ProvisioningTask;

/**
 * What a node command's timeout (no result in time) means. No I/O, like the {@link Planner}: the
 * {@link ReportHandler} applies it.
 */
public final class CommandTimeout {

    public enum Consequence {
        /** The node's current create, delete or cleanup went unanswered: the node and the cluster are FAILED. */
        FAILS_CLUSTER,
        /**
         * The node waits for a later command that replaced this one (an abort's delete sent behind a create): only
         * the task fails; the later command decides.
         */
        SUPERSEDED,
        /**
         * A repair (start-node) went unanswered: the node stays as it was, created and down, and is started again
         * after the grace period ({@link NodeHealth}); a start the gateway answered FAILED does not fail the cluster
         * either, and a new create would be wrong for a node that exists.
         */
        REPAIR_UNANSWERED
    }

    private CommandTimeout() {}

    /** @param node the task's node (null for a cleanup, or a node no longer listed) */
    public static Consequence of(ProvisioningTask task, ClusterNode node) {
        if (node != null && node.awaitingCommand != null && !node.awaitingCommand.equals(task.commandId)) {
            return Consequence.SUPERSEDED;
        }
        if (ProvisioningTask.START_NODE.equals(task.kind)) {
            return Consequence.REPAIR_UNANSWERED;
        }
        return Consequence.FAILS_CLUSTER;
    }
}
