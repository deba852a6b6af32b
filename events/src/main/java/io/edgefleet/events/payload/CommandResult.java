package io.edgefleet.events.payload;

import java.time.Instant;

/**
 * How a command ended. Sent once when it ends, and again (the same content) whenever the command
 * is delivered again.
 *
 * @param node   the node after the command (null for cluster-wide commands)
 * @param output what a policy command produced (scan findings, archive, patch outcome), else null
 */
public record CommandResult(
        String commandId,
        String commandType,
        String clusterId,
        String nodeId,
        Outcome outcome,
        String message,
        NodeStatus node,
        Instant finishedAt,
        TaskOutput output) {

    /** A node command's result, which has no output. */
    public CommandResult(
            String commandId,
            String commandType,
            String clusterId,
            String nodeId,
            Outcome outcome,
            String message,
            NodeStatus node,
            Instant finishedAt) {
        this(commandId, commandType, clusterId, nodeId, outcome, message, node, finishedAt, null);
    }

    public enum Outcome {
        SUCCEEDED,
        FAILED
    }
}
