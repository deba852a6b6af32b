package io.edgefleet.events.payload;

/**
 * Payload of {@code read-node-console}: the tail of one node's console — the serial console of a virtualized node,
 * the container log of a containerized one. A read changes nothing on the appliance: the gateway answers it beside
 * its queue of node commands (a console is most wanted while a create-node is still waiting for the guest to boot).
 *
 * @param commandId the request's id, repeated in the {@link NodeConsole} answer
 * @param lines     how many of the last lines (1 to {@link #MAX_LINES})
 * @param maxBytes  the most text the answer may carry (the last lines that fit; at most {@link #MAX_BYTES})
 */
public record NodeConsoleRequest(String commandId, String clusterId, String nodeId, int lines, int maxBytes) {

    public static final int MAX_LINES = 1000;
    /** Far below the broker's 1 MiB packet limit, and more than a screenful of a thousand lines usually takes. */
    public static final int MAX_BYTES = 128 * 1024;
}
