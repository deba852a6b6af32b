package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.RolloutMode;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * A profile's rollout strategy as asked for. {@code IMMEDIATE} takes no strategy fields; {@code ROLLOUT} takes those
 * of cluster-service's {@code POST /v1/rollouts} strategy, with its defaults and bounds (kept the same as
 * cluster-service's {@code CreateRolloutRequest}, so a profile never carries a strategy a rollout would refuse).
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
        String healthTimeout) {

    private static final Duration MAX_DURATION = Duration.ofDays(7);

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
                                && healthTimeout == null,
                        field,
                        "IMMEDIATE takes no strategy fields (choose ROLLOUT for a strategy)");
            }
            return m == null ? null : ProfileRollout.IMMEDIATE;
        }
        int c = range(canaries, 1, 0, 100, field + ".canaries", v);
        v.require(
                waveSize == null || wavePercent == null,
                field + ".wavePercent",
                "give waveSize or wavePercent, not both");
        Integer size = waveSize == null ? null : range(waveSize, 1, 1, 100_000, field + ".waveSize", v);
        Integer percent = waveSize != null ? null : range(wavePercent, 10, 1, 100, field + ".wavePercent", v);
        int concurrency = range(maxConcurrency, 10, 1, 1000, field + ".maxConcurrency", v);
        v.require(
                maxFailures == null || maxFailurePercent == null,
                field + ".maxFailurePercent",
                "give maxFailures or maxFailurePercent, not both");
        Integer failPercent =
                maxFailurePercent == null ? null : range(maxFailurePercent, 0, 0, 100, field + ".maxFailurePercent", v);
        Integer failures = failPercent != null ? null : range(maxFailures, 0, 0, 100_000, field + ".maxFailures", v);
        String offline = offlineMode == null ? "WAIT" : offlineMode;
        v.require(
                offline.equals("SKIP") || offline.equals("WAIT") || offline.equals("FAIL"),
                field + ".offlineMode",
                "must be one of SKIP, WAIT, FAIL");
        Duration bake = duration(bakeTime, Duration.ZERO, Duration.ZERO, field + ".bakeTime", v);
        Duration offlineWait =
                duration(offlineTimeout, Duration.ofHours(1), Duration.ofSeconds(1), field + ".offlineTimeout", v);
        Duration health =
                duration(healthTimeout, Duration.ofMinutes(30), Duration.ofSeconds(1), field + ".healthTimeout", v);
        return new ProfileRollout(
                RolloutMode.ROLLOUT,
                c,
                size,
                percent,
                concurrency,
                failures,
                failPercent,
                bake.toString(),
                offline,
                offlineWait.toString(),
                health.toString());
    }

    private static int range(Integer value, int fallback, int min, int max, String field, Validator v) {
        if (value == null) {
            return fallback;
        }
        v.require(value >= min && value <= max, field, "must be " + min + " to " + max);
        return value;
    }

    private static Duration duration(String value, Duration fallback, Duration min, String field, Validator v) {
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
}
