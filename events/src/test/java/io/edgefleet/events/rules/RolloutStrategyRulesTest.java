package io.edgefleet.events.rules;

import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.RolloutMode;
import io.edgefleet.events.payload.ScanGate;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shared bounds and defaults of a rollout strategy, without I/O. */
class RolloutStrategyRulesTest {

    @Test
    void anEmptyStrategyTakesEveryDefault() {
        Map<String, String> bad = new LinkedHashMap<>();
        ProfileRollout r = RolloutStrategyRules.resolve(ProfileRollout.IMMEDIATE, "strategy", bad::put);
        assertEquals(Map.of(), bad);
        assertEquals(
                new ProfileRollout(RolloutMode.ROLLOUT, 1, null, 10, 10, 0, null, "PT0S", "WAIT", "PT1H", "PT30M"), r);
    }

    @Test
    void everyBadFieldIsNamedUnderThePrefixAtOnce() {
        Map<String, String> bad = new LinkedHashMap<>();
        RolloutStrategyRules.resolve(
                new ProfileRollout(RolloutMode.ROLLOUT, 101, 5, 50, 0, 1, 2, "soon", "MAYBE", "PT0S", "P8D"),
                "rollout",
                bad::put);
        assertEquals(
                java.util.List.of(
                        "rollout.canaries",
                        "rollout.wavePercent",
                        "rollout.maxConcurrency",
                        "rollout.maxFailurePercent",
                        "rollout.offlineMode",
                        "rollout.bakeTime",
                        "rollout.offlineTimeout",
                        "rollout.healthTimeout"),
                java.util.List.copyOf(bad.keySet()));
        assertEquals("must be 0 to 100", bad.get("rollout.canaries"));
        assertEquals("is not an ISO-8601 duration (e.g. PT10M)", bad.get("rollout.bakeTime"));
    }

    @Test
    void aWaveSizeOrAFailurePercentReplacesItsAlternative() {
        Map<String, String> bad = new LinkedHashMap<>();
        ProfileRollout r = RolloutStrategyRules.resolve(
                new ProfileRollout(null, 0, 3, null, 2, null, 20, "PT1M", "SKIP", null, null), "strategy", bad::put);
        assertEquals(Map.of(), bad);
        assertEquals(3, r.waveSize());
        assertEquals(null, r.wavePercent());
        assertEquals(null, r.maxFailures());
        assertEquals(20, r.maxFailurePercent());
    }

    @Test
    void aScanGateTakesItsDefaultsAndNoneStaysNone() {
        Map<String, String> bad = new LinkedHashMap<>();
        String policy = "0b7e4a52-3f1c-4d5e-9a8b-1c2d3e4f5a6b";
        assertEquals(
                new ScanGate(policy, "FAILED", "PT30M"),
                RolloutStrategyRules.scan(new ScanGate(policy, null, null), "strategy", bad::put));
        assertEquals(null, RolloutStrategyRules.scan(null, "strategy", bad::put));
        assertEquals(Map.of(), bad);
    }

    @Test
    void aStrategysScanIsResolvedWithItAndItsBadFieldsNamedWithTheOthers() {
        Map<String, String> bad = new LinkedHashMap<>();
        String policy = "0b7e4a52-3f1c-4d5e-9a8b-1c2d3e4f5a6b";
        ProfileRollout r = RolloutStrategyRules.resolve(
                new ProfileRollout(
                        RolloutMode.ROLLOUT,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new ScanGate(policy, "WARNED", null)),
                "rollout",
                bad::put);
        assertEquals(Map.of(), bad);
        assertEquals(new ScanGate(policy, "WARNED", "PT30M"), r.scan());

        RolloutStrategyRules.resolve(
                new ProfileRollout(
                        RolloutMode.ROLLOUT,
                        -1,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new ScanGate(null, "NEVER", "PT0S")),
                "rollout",
                bad::put);
        assertEquals(
                java.util.List.of(
                        "rollout.canaries", "rollout.scan.policyId", "rollout.scan.failOn", "rollout.scan.timeout"),
                java.util.List.copyOf(bad.keySet()));
    }

    @Test
    void everyBadScanFieldIsNamedAtOnce() {
        Map<String, String> bad = new LinkedHashMap<>();
        RolloutStrategyRules.scan(new ScanGate("not-a-policy", "SOMETIMES", "P8D"), "strategy", bad::put);
        assertEquals(
                java.util.List.of("strategy.scan.policyId", "strategy.scan.failOn", "strategy.scan.timeout"),
                java.util.List.copyOf(bad.keySet()));
        assertEquals("must be one of FAILED, WARNED", bad.get("strategy.scan.failOn"));
        bad.clear();
        RolloutStrategyRules.scan(new ScanGate(null, "WARNED", "soon"), "rollout", bad::put);
        assertEquals(
                java.util.List.of("rollout.scan.policyId", "rollout.scan.timeout"),
                java.util.List.copyOf(bad.keySet()));
    }
}
