package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.repository.RolloutSelector;
import io.edgefleet.cluster.rollout.OfflineMode;
import io.edgefleet.cluster.rollout.RolloutStrategy;
import io.edgefleet.cluster.service.ClusterInputRules;
import io.edgefleet.cluster.service.NewRollout;
import io.edgefleet.kit.rest.TagRules;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Body of {@code POST /v1/rollouts}: carry one profile version to the selected clusters in waves. The shape is
 * checked here, every bad field named in one answer; whether the profile and the clusters exist is checked by
 * {@code RolloutService}. Omitted strategy fields take the defaults below.
 */
public record CreateRolloutRequest(
        @Schema(required = true, maxLength = 100, description = "what the rollout is for, as people will read it")
        String name,

        @Schema(required = true, description = "the profile version (id) the clusters change to")
        String profileId,

        @Schema(required = true) SelectorRequest selector,
        StrategyRequest strategy) {

    static final int MAX_IDS = 1000;
    private static final Pattern CLUSTER_ID = Pattern.compile("c[0-9a-f]{8}");
    private static final Duration MAX_DURATION = Duration.ofDays(7);

    /** A cluster is a target when it matches every part given; at least one part is required. */
    public record SelectorRequest(
            @Schema(description = "clusters built from one of these profile versions")
            List<String> profileIds,

            @Schema(description = "clusters carrying every one of these tags")
            Map<String, String> tags,

            @Schema(description = "these clusters") List<String> clusterIds) {}

    /** Durations are ISO-8601 (`PT10M`). */
    public record StrategyRequest(
            @Schema(
                    description = "clusters changed first, alone; any failure among them pauses (default 1)",
                    minimum = "0",
                    maximum = "100")
            Integer canaries,

            @Schema(description = "clusters per wave after the canaries (or wavePercent; default 10%)", minimum = "1")
            Integer waveSize,

            @Schema(description = "per cent of the targets per wave, rounded up", minimum = "1", maximum = "100")
            Integer wavePercent,

            @Schema(description = "clusters rolling at once, at most (default 10)", minimum = "1", maximum = "1000")
            Integer maxConcurrency,

            @Schema(description = "failed clusters tolerated before the rollout pauses (default 0)", minimum = "0")
            Integer maxFailures,

            @Schema(
                    description = "or per cent of the targets tolerated failing, rounded down",
                    minimum = "0",
                    maximum = "100")
            Integer maxFailurePercent,

            @Schema(
                    description = "how long a finished wave is watched before the next starts (default PT0S)",
                    examples = "PT10M")
            String bakeTime,

            @Schema(
                    description =
                            "a cluster whose appliance is offline when its turn comes: SKIP, WAIT (up to offlineTimeout, then FAILED) or FAIL (default WAIT)",
                    enumeration = {"SKIP", "WAIT", "FAIL"})
            String offlineMode,

            @Schema(description = "default PT1H", examples = "PT30M")
            String offlineTimeout,

            @Schema(
                    description =
                            "a started cluster must be RUNNING with every node running within this (default PT30M)",
                    examples = "PT15M")
            String healthTimeout) {}

    public NewRollout validated() {
        Validator v = new Validator();
        v.text(name, "name", 1, 100, null, null);
        ClusterInputRules.profileId(profileId, "profileId", v);
        RolloutSelector sel = selector(v);
        RolloutStrategy strat = strategy(strategy == null ? emptyStrategy() : strategy, v);
        v.throwIfInvalid();
        return new NewRollout(name, profileId, sel, strat);
    }

    private RolloutSelector selector(Validator v) {
        if (selector == null) {
            v.require(false, "selector", "is required: name profileIds, tags or clusterIds");
            return null;
        }
        List<String> profiles = selector.profileIds() == null ? List.of() : selector.profileIds();
        Map<String, String> tags = selector.tags() == null ? Map.of() : selector.tags();
        List<String> clusters = selector.clusterIds() == null ? List.of() : selector.clusterIds();
        v.require(
                !(profiles.isEmpty() && tags.isEmpty() && clusters.isEmpty()),
                "selector",
                "name profileIds, tags or clusterIds (a rollout never targets every cluster implicitly)");
        v.require(profiles.size() <= MAX_IDS, "selector.profileIds", "at most " + MAX_IDS);
        v.require(clusters.size() <= MAX_IDS, "selector.clusterIds", "at most " + MAX_IDS);
        for (int i = 0; i < profiles.size(); i++) {
            ClusterInputRules.profileId(profiles.get(i), "selector.profileIds[" + i + "]", v);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < clusters.size(); i++) {
            String id = clusters.get(i);
            String field = "selector.clusterIds[" + i + "]";
            v.require(id != null && CLUSTER_ID.matcher(id).matches(), field, "is not a cluster id (c + 8 hex digits)");
            v.require(id == null || seen.add(id), field, "names cluster " + id + " twice");
        }
        TagRules.check(tags, "selector.tags", v);
        // copies that tolerate the nulls reported above (the request is refused then, and the copies never used)
        return new RolloutSelector(new ArrayList<>(profiles), new LinkedHashMap<>(tags), new ArrayList<>(clusters));
    }

    private static StrategyRequest emptyStrategy() {
        return new StrategyRequest(null, null, null, null, null, null, null, null, null, null);
    }

    private static RolloutStrategy strategy(StrategyRequest s, Validator v) {
        int canaries = range(s.canaries(), 1, 0, 100, "strategy.canaries", v);
        v.require(
                s.waveSize() == null || s.wavePercent() == null,
                "strategy.wavePercent",
                "give waveSize or wavePercent, not both");
        Integer waveSize = s.waveSize() == null ? null : range(s.waveSize(), 1, 1, 100_000, "strategy.waveSize", v);
        Integer wavePercent =
                s.waveSize() != null ? null : range(s.wavePercent(), 10, 1, 100, "strategy.wavePercent", v);
        int maxConcurrency = range(s.maxConcurrency(), 10, 1, 1000, "strategy.maxConcurrency", v);
        v.require(
                s.maxFailures() == null || s.maxFailurePercent() == null,
                "strategy.maxFailurePercent",
                "give maxFailures or maxFailurePercent, not both");
        Integer maxFailurePercent = s.maxFailurePercent() == null
                ? null
                : range(s.maxFailurePercent(), 0, 0, 100, "strategy.maxFailurePercent", v);
        Integer maxFailures =
                maxFailurePercent != null ? null : range(s.maxFailures(), 0, 0, 100_000, "strategy.maxFailures", v);
        OfflineMode mode = OfflineMode.WAIT;
        if (s.offlineMode() != null) {
            try {
                mode = OfflineMode.valueOf(s.offlineMode());
            } catch (IllegalArgumentException e) {
                v.require(false, "strategy.offlineMode", "must be one of " + Arrays.toString(OfflineMode.values()));
            }
        }
        Duration bake = duration(s.bakeTime(), Duration.ZERO, Duration.ZERO, "strategy.bakeTime", v);
        Duration offline =
                duration(s.offlineTimeout(), Duration.ofHours(1), Duration.ofSeconds(1), "strategy.offlineTimeout", v);
        Duration health =
                duration(s.healthTimeout(), Duration.ofMinutes(30), Duration.ofSeconds(1), "strategy.healthTimeout", v);
        return new RolloutStrategy(
                canaries,
                waveSize,
                wavePercent,
                maxConcurrency,
                maxFailures,
                maxFailurePercent,
                bake,
                mode,
                offline,
                health);
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
                    "must be " + min + " to " + MAX_DURATION);
            return d;
        } catch (DateTimeParseException e) {
            v.require(false, field, "is not an ISO-8601 duration such as PT10M");
            return fallback;
        }
    }
}
