package io.edgefleet.events.rules;

import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.RolloutMode;
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
}
