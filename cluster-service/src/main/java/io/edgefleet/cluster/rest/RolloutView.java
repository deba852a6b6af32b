package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.repository.Rollout;
import io.edgefleet.cluster.repository.RolloutSelector;
import io.edgefleet.cluster.repository.RolloutTarget;
import io.edgefleet.cluster.rollout.RolloutStatus;
import io.edgefleet.cluster.rollout.RolloutStrategy;
import io.edgefleet.cluster.rollout.TargetState;
import io.edgefleet.cluster.service.RolloutService;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A rollout as the API shows it: strategy, where it stands, and every cluster's state with its reason. */
@Schema(name = "Rollout")
public record RolloutView(
        String id,
        String name,

        @Schema(description = "the profile version the clusters change to")
        String profileId,

        RolloutSelector selector,
        StrategyView strategy,
        RolloutStatus status,
        @Schema(description = "why it is PAUSED or ABORTED") String statusReason,

        @Schema(description = "number of waves; the first holds the canaries when the strategy has some")
        int waves,

        @Schema(description = "cluster count per state (states with none left out)")
        Map<String, Integer> counts,

        @Schema(description = "the user who created it, or `system` for one a re-link of a ROLLOUT profile created")
        String createdBy,

        Instant createdAt,
        Instant updatedAt,

        @Schema(description = "every cluster of the rollout in rollout order")
        List<TargetView> clusters) {

    /** The strategy with every default filled in; durations ISO-8601. */
    @Schema(name = "RolloutStrategy")
    public record StrategyView(
            int canaries,
            Integer waveSize,
            Integer wavePercent,
            int maxConcurrency,
            Integer maxFailures,
            Integer maxFailurePercent,
            String bakeTime,
            String offlineMode,
            String offlineTimeout,
            String healthTimeout) {

        static StrategyView of(RolloutStrategy s) {
            return new StrategyView(
                    s.canaries(),
                    s.waveSize(),
                    s.wavePercent(),
                    s.maxConcurrency(),
                    s.maxFailures(),
                    s.maxFailurePercent(),
                    s.bakeTime().toString(),
                    s.offlineMode().name(),
                    s.offlineTimeout().toString(),
                    s.healthTimeout().toString());
        }
    }

    /** One cluster of the rollout. */
    @Schema(name = "RolloutCluster")
    public record TargetView(
            String clusterId,
            int wave,
            TargetState state,
            @Schema(description = "why it is in this state") String reason,

            @Schema(description = "when it entered this state")
            Instant since,

            @Schema(description = "the profile version it had before the rollout")
            String fromProfileId,

            Instant startedAt,
            Instant finishedAt) {

        static TargetView of(RolloutTarget t) {
            return new TargetView(
                    t.clusterId, t.wave, t.state, t.reason, t.since, t.fromProfileId, t.startedAt, t.finishedAt);
        }
    }

    static RolloutView of(Rollout r, List<RolloutTarget> targets) {
        return new RolloutView(
                r.id.toString(),
                r.name,
                r.profileId,
                r.selector,
                StrategyView.of(r.strategy),
                r.status,
                r.statusReason,
                r.waves,
                RolloutService.counts(targets),
                r.createdBy,
                r.createdAt,
                r.updatedAt,
                targets.stream().map(TargetView::of).toList());
    }
}
