package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.RolloutMode;
import io.edgefleet.events.payload.ScanGate;
import io.edgefleet.events.rules.RolloutStrategyRules;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A profile's rollout strategy as asked for. {@code IMMEDIATE} takes no strategy fields; {@code ROLLOUT} takes those
 * of cluster-service's {@code POST /v1/rollouts} strategy, with its defaults and bounds: both check them with the
 * shared {@link RolloutStrategyRules}, so a profile never carries a strategy a rollout would refuse.
 */
@Schema(name = "ProfileRolloutRequest")
public record RolloutRequest(
        @Schema(
                required = true,
                ref = "RolloutMode",
                description = "IMMEDIATE: every running cluster rolls at once (the default); ROLLOUT: a re-link or"
                        + " change of the profile creates a rollout over them with this strategy")
        String mode,

        @Schema(description = "clusters changed first, alone (default 1)", minimum = "0", maximum = "100")
        Integer canaries,

        @Schema(description = "clusters per wave after the canaries (or wavePercent; default 10%)", minimum = "1")
        Integer waveSize,

        @Schema(description = "per cent of the targets per wave, rounded up", minimum = "1", maximum = "100")
        Integer wavePercent,

        @Schema(description = "clusters rolling at once, at most (default 10)", minimum = "1", maximum = "1000")
        Integer maxConcurrency,

        @Schema(description = "failed clusters tolerated before the rollout pauses (default 0)", minimum = "0")
        Integer maxFailures,

        @Schema(description = "or per cent of the targets tolerated failing", minimum = "0", maximum = "100")
        Integer maxFailurePercent,

        @Schema(description = "ISO-8601; a finished wave is watched this long (default PT0S)", examples = "PT10M")
        String bakeTime,

        @Schema(
                description =
                        "an offline appliance's cluster: SKIP, WAIT (up to offlineTimeout) or FAIL (default WAIT)",
                enumeration = {"SKIP", "WAIT", "FAIL"})
        String offlineMode,

        @Schema(description = "ISO-8601 (default PT1H)", examples = "PT30M")
        String offlineTimeout,

        @Schema(
                description = "ISO-8601; RUNNING with every node running within this (default PT30M)",
                examples = "PT15M")
        String healthTimeout,

        @Schema(
                description = "a scan in the health gate: a healthy cluster is HEALTHY only after a passing run of"
                        + " this SCAN policy (default none)")
        ScanRequest scan) {

    /** The scan in a rollout's health gate: policy-service runs the policy on each cluster that passed the gate. */
    @Schema(name = "ProfileRolloutScanRequest")
    public record ScanRequest(
            @Schema(required = true, description = "a SCAN policy of the tenant (policy-service id)", format = "uuid")
            String policyId,

            @Schema(
                    description = "FAILED: a failed check fails the cluster; WARNED: a warned one too (default FAILED)",
                    enumeration = {"FAILED", "WARNED"})
            String failOn,

            @Schema(
                    description = "how long to wait for the scan's answer, else FAILED (default PT30M)",
                    examples = "PT10M")
            String timeout) {}

    /** The strategy to store, every default filled in; null when a field is bad (recorded in {@code v}). */
    ProfileRollout draft(String field, Validator v) {
        RolloutMode m = RequestRules.enumValue(mode, RolloutMode.class, field + ".mode", v);
        if (m != RolloutMode.ROLLOUT) {
            if (m == RolloutMode.IMMEDIATE) {
                v.require(
                        canaries == null
                                && waveSize == null
                                && wavePercent == null
                                && maxConcurrency == null
                                && maxFailures == null
                                && maxFailurePercent == null
                                && bakeTime == null
                                && offlineMode == null
                                && offlineTimeout == null
                                && healthTimeout == null
                                && scan == null,
                        field,
                        "IMMEDIATE takes no strategy fields (choose ROLLOUT for a strategy)");
            }
            return m == null ? null : ProfileRollout.IMMEDIATE;
        }
        return RolloutStrategyRules.resolve(
                new ProfileRollout(
                        m,
                        canaries,
                        waveSize,
                        wavePercent,
                        maxConcurrency,
                        maxFailures,
                        maxFailurePercent,
                        bakeTime,
                        offlineMode,
                        offlineTimeout,
                        healthTimeout,
                        scan == null ? null : new ScanGate(scan.policyId(), scan.failOn(), scan.timeout())),
                field,
                (f, message) -> v.require(false, f, message));
    }
}
