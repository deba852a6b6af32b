package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.repository.RolloutSelector;
import io.edgefleet.cluster.rollout.RolloutStrategy;
import io.edgefleet.cluster.service.ClusterInputRules;
import io.edgefleet.cluster.service.NewRollout;
import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.RolloutMode;
import io.edgefleet.events.payload.ScanGate;
import io.edgefleet.events.rules.RolloutStrategyRules;
import io.edgefleet.kit.rest.TagRules;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Body of {@code POST /v1/rollouts}: carry one profile version to the selected clusters in waves. The shape is
 * checked here, every bad field named in one answer; whether the profile and the clusters exist is checked by
 * {@code RolloutService}. Omitted strategy fields take the defaults below
 * ({@link RolloutStrategyRules}, shared with a profile's default strategy).
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
            String healthTimeout,

            @Schema(
                    description =
                            "a scan in the health gate: a healthy cluster is HEALTHY only after a passing run of this SCAN policy (default none)")
            ScanRequest scan) {}

    /** The scan in the health gate: policy-service runs the policy on each cluster that passed the health gate. */
    @Schema(name = "RolloutScanRequest") // policy-service's ScanRequest is another thing (POST /v1/scans)
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
        return new StrategyRequest(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Checked by the rules a profile's default strategy shares (profile-service's {@code RolloutRequest}). */
    private static RolloutStrategy strategy(StrategyRequest s, Validator v) {
        boolean[] bad = {false};
        ScanRequest sc = s.scan();
        ProfileRollout resolved = RolloutStrategyRules.resolve(
                new ProfileRollout(
                        RolloutMode.ROLLOUT,
                        s.canaries(),
                        s.waveSize(),
                        s.wavePercent(),
                        s.maxConcurrency(),
                        s.maxFailures(),
                        s.maxFailurePercent(),
                        s.bakeTime(),
                        s.offlineMode(),
                        s.offlineTimeout(),
                        s.healthTimeout(),
                        sc == null ? null : new ScanGate(sc.policyId(), sc.failOn(), sc.timeout())),
                "strategy",
                (field, message) -> {
                    bad[0] = true;
                    v.require(false, field, message);
                });
        return bad[0] ? null : RolloutStrategy.of(resolved);
    }
}
