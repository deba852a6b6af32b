package io.edgefleet.events.payload;

import java.time.Instant;
import java.util.List;

/**
 * The gateway's answer to a {@link NodeConsoleRequest} ({@code node.console} report).
 *
 * @param outcome   SUCCEEDED with the lines (maybe none yet), FAILED when the node's console cannot be read here
 *                  (e.g. the appliance has no such node), with {@code message} saying why
 * @param lines     the last lines, oldest first; carriage returns and terminal escape sequences removed
 * @param truncated fewer lines than asked for because of the request's byte limit (the earliest were left out)
 */
public record NodeConsole(
        String commandId,
        String clusterId,
        String nodeId,
        CommandResult.Outcome outcome,
        String message,
        Source source,
        List<String> lines,
        boolean truncated,
        Instant readAt) {

    public enum Source {
        /** a virtual machine's serial console, as libvirt logged it */
        SERIAL_CONSOLE,
        /** a container's output (stdout and stderr), as the container engine kept it */
        CONTAINER_LOG
    }
}
