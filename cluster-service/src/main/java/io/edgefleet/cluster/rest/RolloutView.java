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
            String healthTimeout,

            @Schema(nullable = true, description = "the scan in the health gate, or null for none")
            ScanGateView scan) {

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
                    s.healthTimeout().toString(),
                    s.scan() == null
                            ? null
                            : new ScanGateView(
                                    s.scan().policyId(),
                                    s.scan().failOn(),
                                    s.scanTimeout().toString()));
        }
    }

    /** The scan in the health gate with its defaults filled in. */
    @Schema(name = "RolloutScanGate")
    public record ScanGateView(
            @Schema(description = "the SCAN policy run on each cluster that passed the health gate")
            String policyId,

            @Schema(enumeration = {"FAILED", "WARNED"}) String failOn,

            @Schema(description = "how long a SCANNING cluster waits for the scan's answer (ISO-8601)")
            String timeout) {}

    /** A cluster's scan in the health gate: the request, policy-service's run answering it and its counts. */
    @Schema(name = "RolloutClusterScan")
    public record ScanView(
            @Schema(description = "the scan-requested id") String requestId,

            @Schema(nullable = true, description = "policy-service's run (GET /v1/scans/{id}); null until it answered")
            String runId,

            @Schema(nullable = true, description = "the run's status: RUNNING, SUCCEEDED, FAILED or SKIPPED")
            String status,

            @Schema(nullable = true, description = "why the run failed or was skipped")
            String reason,

            long passed,
            long failed,
            long warned,

            @Schema(description = "checks that could not be carried out")
            long error) {

        static ScanView of(RolloutTarget t) {
            return t.scanRequestId == null
                    ? null
                    : new ScanView(
                            t.scanRequestId,
                            t.scanRunId,
                            t.scanStatus,
                            t.scanReason,
                            n(t.scanPassed),
                            n(t.scanFailed),
                            n(t.scanWarned),
                            n(t.scanError));
        }

        private static long n(Long v) {
            return v == null ? 0 : v;
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
            Instant finishedAt,

            @Schema(nullable = true, description = "the scan in the health gate (strategy.scan), once it was asked for")
            ScanView scan) {

        static TargetView of(RolloutTarget t) {
            return new TargetView(
                    t.clusterId,
                    t.wave,
                    t.state,
                    t.reason,
                    t.since,
                    t.fromProfileId,
                    t.startedAt,
                    t.finishedAt,
                    ScanView.of(t));
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
