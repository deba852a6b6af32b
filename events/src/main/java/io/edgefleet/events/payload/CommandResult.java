package io.edgefleet.events.payload;

import java.time.Instant;

/**
 * How a command ended. Sent once when it ends, and again (the same content) whenever the command
 * is delivered again.
 *
 * @param node the node after the command (null for cluster-wide commands)
 */
public record CommandResult(String commandId, String commandType, String clusterId, String nodeId, Outcome outcome,
                            String message, NodeStatus node, Instant finishedAt) {

    public enum Outcome {
        SUCCEEDED,
        FAILED
    }
}
