package io.edgefleet.events.rules;

import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.RolloutMode;
import io.edgefleet.events.payload.ScanGate;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The bounds and defaults of a rollout strategy, one set for both places that take one: cluster-service's
 * {@code POST /v1/rollouts} strategy and a profile's default strategy (profile-service), so a profile never carries
 * a strategy a rollout would refuse. Pure: each bad field is reported to the caller's sink (its {@code Validator}),
 * named under the caller's prefix ({@code strategy.canaries}, {@code rollout.canaries}), all of them at once.
 */
public final class RolloutStrategyRules {

    public static final int MAX_CANARIES = 100;
    public static final int MAX_WAVE_SIZE = 100_000;
    public static final int MAX_CONCURRENCY = 1000;
    public static final int MAX_FAILURES = 100_000;
    public static final Duration MAX_DURATION = Duration.ofDays(7);

    public static final int DEFAULT_CANARIES = 1;
    public static final int DEFAULT_WAVE_PERCENT = 10;
    public static final int DEFAULT_MAX_CONCURRENCY = 10;
    public static final String DEFAULT_OFFLINE_MODE = "WAIT";
    public static final Duration DEFAULT_OFFLINE_TIMEOUT = Duration.ofHours(1);
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMinutes(30);
    public static final String DEFAULT_SCAN_FAIL_ON = "FAILED";
    public static final Duration DEFAULT_SCAN_TIMEOUT = Duration.ofMinutes(30);

    private RolloutStrategyRules() {}

    /**
     * The strategy as asked for (its {@code mode} is ignored), checked, every omitted field defaulted.
     *
     * @param prefix    the strategy's field in the request, e.g. {@code strategy}
     * @param violation takes (field, message) for each bad field; the result is then not to be used
     * @return a ROLLOUT strategy with every field filled in (either waveSize or wavePercent, either maxFailures or
     *     maxFailurePercent), its scan checked by {@link #scan} ({@code <prefix>.scan.*}) or null for none
     */
    public static ProfileRollout resolve(ProfileRollout asked, String prefix, BiConsumer<String, String> violation) {
        Sink v = new Sink(prefix, violation);
        int canaries = range(asked.canaries(), DEFAULT_CANARIES, 0, MAX_CANARIES, "canaries", v);
        v.require(
                asked.waveSize() == null || asked.wavePercent() == null,
                "wavePercent",
                "give waveSize or wavePercent, not both");
        Integer waveSize =
                asked.waveSize() == null ? null : range(asked.waveSize(), 1, 1, MAX_WAVE_SIZE, "waveSize", v);
        Integer wavePercent = asked.waveSize() != null
                ? null
                : range(asked.wavePercent(), DEFAULT_WAVE_PERCENT, 1, 100, "wavePercent", v);
        int concurrency =
                range(asked.maxConcurrency(), DEFAULT_MAX_CONCURRENCY, 1, MAX_CONCURRENCY, "maxConcurrency", v);
        v.require(
                asked.maxFailures() == null || asked.maxFailurePercent() == null,
                "maxFailurePercent",
                "give maxFailures or maxFailurePercent, not both");
        Integer failPercent = asked.maxFailurePercent() == null
                ? null
                : range(asked.maxFailurePercent(), 0, 0, 100, "maxFailurePercent", v);
        Integer failures =
                failPercent != null ? null : range(asked.maxFailures(), 0, 0, MAX_FAILURES, "maxFailures", v);
        String offline = asked.offlineMode() == null ? DEFAULT_OFFLINE_MODE : asked.offlineMode();
        v.require(
                offline.equals("SKIP") || offline.equals("WAIT") || offline.equals("FAIL"),
                "offlineMode",
                "must be one of SKIP, WAIT, FAIL");
        Duration bake = duration(asked.bakeTime(), Duration.ZERO, Duration.ZERO, "bakeTime", v);
        Duration offlineWait =
                duration(asked.offlineTimeout(), DEFAULT_OFFLINE_TIMEOUT, Duration.ofSeconds(1), "offlineTimeout", v);
        Duration health =
                duration(asked.healthTimeout(), DEFAULT_HEALTH_TIMEOUT, Duration.ofSeconds(1), "healthTimeout", v);
        return new ProfileRollout(
                RolloutMode.ROLLOUT,
                canaries,
                waveSize,
                wavePercent,
                concurrency,
                failures,
                failPercent,
                bake.toString(),
                offline,
                offlineWait.toString(),
                health.toString(),
                scan(asked.scan(), prefix, violation));
    }

    /**
     * The strategy's scan gate as asked for, checked, omitted fields defaulted; null when none was asked for. Whether
     * the policy exists, is the tenant's and is a SCAN policy is policy-service's to say (a run that fails the gate).
     *
     * @param prefix the strategy's field in the request, e.g. {@code strategy} (the fields are {@code strategy.scan.*})
     */
    public static ScanGate scan(ScanGate asked, String prefix, BiConsumer<String, String> violation) {
        if (asked == null) {
            return null;
        }
        Sink v = new Sink(prefix + ".scan", violation);
        v.require(asked.policyId() != null && isUuid(asked.policyId()), "policyId", "is required: a SCAN policy's id");
        String failOn = asked.failOn() == null ? DEFAULT_SCAN_FAIL_ON : asked.failOn();
        v.require(failOn.equals("FAILED") || failOn.equals("WARNED"), "failOn", "must be one of FAILED, WARNED");
        Duration timeout = duration(asked.timeout(), DEFAULT_SCAN_TIMEOUT, Duration.ofSeconds(1), "timeout", v);
        return new ScanGate(asked.policyId(), failOn, timeout.toString());
    }

    private static boolean isUuid(String s) {
        try {
            return s.length() == 36 && UUID.fromString(s).toString().equalsIgnoreCase(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int range(Integer value, int fallback, int min, int max, String field, Sink v) {
        if (value == null) {
            return fallback;
        }
        v.require(value >= min && value <= max, field, "must be " + min + " to " + max);
        return value;
    }

    private static Duration duration(String value, Duration fallback, Duration min, String field, Sink v) {
        if (value == null) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(value);
            v.require(
                    d.compareTo(min) >= 0 && d.compareTo(MAX_DURATION) <= 0,
                    field,
                    "must be " + min + " to " + MAX_DURATION + " (ISO-8601, e.g. PT10M)");
            return d;
        } catch (DateTimeParseException e) {
            v.require(false, field, "is not an ISO-8601 duration (e.g. PT10M)");
            return fallback;
        }
    }

    private record Sink(String prefix, BiConsumer<String, String> violation) {
        void require(boolean ok, String field, String message) {
            if (!ok) {
                violation.accept(prefix + "." + field, message);
            }
        }
    }
}
