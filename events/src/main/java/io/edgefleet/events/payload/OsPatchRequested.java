package io.edgefleet.events.payload;

/**
 * policy-service asks cluster-service to move a cluster's OS layer to the newest release of its version train
 * (the release a re-link left pending for the cluster's OS patch schedule) and roll the nodes. Answered with
 * {@link OsPatchFinished} carrying the same {@code runId}.
 *
 * @param runId    the policy run waiting for the answer
 * @param policyId the OS patch policy that triggered it
 */
public record OsPatchRequested(String runId, String policyId, String clusterId) {}
