package io.edgefleet.events.payload;

/**
 * Payload of every command on {@code gateway-commands}; the CloudEvent type says what to do.
 *
 * @param commandId unique per command: a gateway never runs the same id twice and answers a repeat
 *                  with the recorded result
 * @param nodeId    null for cluster-wide commands (cleanup)
 * @param spec      for create-node only
 */
public record NodeCommand(String commandId, String clusterId, String nodeId, NodeSpec spec) {}
