package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.service.NodeConsoles;
import io.edgefleet.events.payload.NodeConsole;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * The tail of a node's console, or word that the gateway has not answered yet.
 *
 * @param status    READY with the lines (200), PENDING while the gateway has not answered (202: ask again)
 * @param source    SERIAL_CONSOLE (virtualized: the serial console libvirt logged) or CONTAINER_LOG (containerized:
 *                  the container's stdout and stderr); null while PENDING
 * @param lines     oldest first, as the node printed them (carriage returns and terminal escape sequences removed)
 * @param truncated fewer lines than asked for: the answer's size limit (128 KiB) left the earliest out
 * @param readAt    when the gateway read them
 */
public record NodeConsoleView(
        @Schema(required = true) String clusterId,
        @Schema(required = true) String nodeId,
        @Schema(required = true) Status status,
        @Schema(nullable = true) Source source,
        @Schema(required = true) List<String> lines,
        @Schema(required = true) boolean truncated,
        @Schema(required = true) Instant requestedAt,
        @Schema(nullable = true) Instant readAt) {

    @Schema(name = "NodeConsoleStatus")
    public enum Status {
        READY,
        PENDING
    }

    /** Where the lines come from (the gateway's {@link NodeConsole.Source}). */
    @Schema(name = "NodeConsoleSource")
    public enum Source {
        SERIAL_CONSOLE,
        CONTAINER_LOG
    }

    static NodeConsoleView of(NodeConsoles.ReadState s) {
        return new NodeConsoleView(
                s.clusterId(),
                s.nodeId(),
                s.answered() ? Status.READY : Status.PENDING,
                s.source() == null ? null : Source.valueOf(s.source().name()),
                s.answered() ? s.lines() : List.of(),
                s.truncated(),
                s.requestedAt(),
                s.answeredAt());
    }
}
