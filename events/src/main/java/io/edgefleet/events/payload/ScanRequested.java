package io.edgefleet.events.payload;

/**
 * cluster-service asks policy-service to run a SCAN policy on a cluster for a rollout's health gate (the cluster is
 * SCANNING). The answer is the run's {@link PolicyRunSnapshot} carrying {@code requestId}. A request may be sent again
 * (same id) when no run was seen for it; policy-service runs it once per id.
 *
 * @param requestId one id per scan asked for (a UUID)
 * @param rolloutId the rollout waiting for it
 */
public record ScanRequested(String requestId, String clusterId, String policyId, String rolloutId) {}
