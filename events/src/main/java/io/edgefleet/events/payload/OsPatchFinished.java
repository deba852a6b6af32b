package io.edgefleet.events.payload;

/**
 * cluster-service's answer to {@link OsPatchRequested}: the nodes rolled onto the newest OS release (or there was
 * nothing newer), or why not.
 *
 * @param runId       the run of the request
 * @param message     what happened, e.g. "already on the newest release 22.04.4 of train 22.04.x" or why it failed
 * @param fromVersion the OS release the cluster ran before; null when it failed before anything changed
 * @param toVersion   the OS release it runs (or was rolling to when it failed); null when it failed before anything changed
 */
public record OsPatchFinished(
        String runId, String clusterId, Outcome outcome, String message, String fromVersion, String toVersion) {

    public enum Outcome {
        SUCCEEDED,
        FAILED
    }
}
