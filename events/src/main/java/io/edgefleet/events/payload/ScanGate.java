package io.edgefleet.events.payload;

/**
 * A rollout's scan in the health gate: a cluster that passed the health gate is HEALTHY only after a passing run of
 * this SCAN policy (policy-service runs it on request, {@link ScanRequested}). Checked and defaulted by
 * {@code RolloutStrategyRules.scan}.
 *
 * @param policyId the SCAN policy (a policy-service id, UUID) of the rollout's tenant
 * @param failOn   FAILED: a failed check fails the cluster; WARNED: a warned one too
 * @param timeout  how long the cluster waits for the scan's answer (ISO-8601), else FAILED
 */
public record ScanGate(String policyId, String failOn, String timeout) {}
