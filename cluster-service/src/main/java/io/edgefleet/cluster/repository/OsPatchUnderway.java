package io.edgefleet.cluster.repository;

/**
 * An OS patch run of policy-service whose release the cluster is rolling onto; answered (os-patch-finished)
 * when the roll ends.
 *
 * @param fromVersion the OS release before
 * @param toVersion   the OS release the nodes roll onto
 * @param train       the OS layer's version train
 */
public record OsPatchUnderway(String runId, String fromVersion, String toVersion, String train) {}
