package io.edgefleet.events.payload;

import java.time.Instant;

/** A step of a command as it runs on the gateway (accepted, started, ...). */
public record CommandProgress(
        String commandId,
        String commandType,
        String clusterId,
        String nodeId,
        String step,
        String message,
        Instant at) {}
