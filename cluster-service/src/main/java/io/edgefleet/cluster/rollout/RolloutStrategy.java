package io.edgefleet.cluster.rollout;

import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ScanGate;
import io.edgefleet.events.rules.RolloutStrategyRules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a rollout changes its clusters (already validated: {@link RolloutStrategyRules}).
 *
 * @param canaries          clusters changed first, alone in wave 0; any failure among them pauses the rollout
 * @param waveSize          clusters per following wave, or null when {@code wavePercent} is used
 * @param wavePercent       per cent of all targets per following wave (rounded up, at least one), or null
 * @param maxConcurrency    clusters rolling at once, never more, whatever the wave size
 * @param maxFailures       failed clusters tolerated before the rollout pauses, or null when {@code maxFailurePercent}
 * @param maxFailurePercent per cent of all targets tolerated failing (rounded down), or null
 * @param bakeTime          how long a finished wave is watched before the next starts
 * @param offlineMode       what happens to a cluster whose appliance is offline when its turn comes
 * @param offlineTimeout    {@link OfflineMode#WAIT}: how long to wait before the cluster FAILED
 * @param healthTimeout     how long a started cluster has to be RUNNING with every node running, else FAILED
 * @param scan              the scan in the health gate ({@link RolloutStrategyRules#scan}), or null for none
 */
public record RolloutStrategy(
        int canaries,
        Integer waveSize,
        Integer wavePercent,
        int maxConcurrency,
        Integer maxFailures,
        Integer maxFailurePercent,
        Duration bakeTime,
        OfflineMode offlineMode,
        Duration offlineTimeout,
        Duration healthTimeout,
        ScanGate scan) {

    /** A strategy without a scan in its health gate. */
    public RolloutStrategy(
            int canaries,
            Integer waveSize,
            Integer wavePercent,
            int maxConcurrency,
            Integer maxFailures,
            Integer maxFailurePercent,
            Duration bakeTime,
            OfflineMode offlineMode,
            Duration offlineTimeout,
            Duration healthTimeout) {
        this(
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
                null);
    }

    /** This strategy with the scan gate given (resolved by {@link RolloutStrategyRules#scan}, or null). */
    public RolloutStrategy withScan(ScanGate gate) {
        return new RolloutStrategy(
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
                gate);
    }

    /** The scan gate's timeout: how long a SCANNING cluster waits for the scan's answer. */
    public Duration scanTimeout() {
        return scan == null || scan.timeout() == null
                ? RolloutStrategyRules.DEFAULT_SCAN_TIMEOUT
                : Duration.parse(scan.timeout());
    }

    /** A scan's counts fail the gate: any failed check, and with {@code failOn} WARNED any warned one. */
    public boolean scanFails(long failed, long warned) {
        return failed > 0 || (warned > 0 && scan != null && "WARNED".equals(scan.failOn()));
    }

    /**
     * A strategy resolved by {@link RolloutStrategyRules} (a request's, or a profile's default as profile-service
     * stored it); a field left null (an older producer's profile) takes the shared default.
     */
    public static RolloutStrategy of(ProfileRollout r) {
        return new RolloutStrategy(
                r.canaries() == null ? RolloutStrategyRules.DEFAULT_CANARIES : r.canaries(),
                r.waveSize(),
                r.waveSize() == null && r.wavePercent() == null
                        ? Integer.valueOf(RolloutStrategyRules.DEFAULT_WAVE_PERCENT)
                        : r.wavePercent(),
                r.maxConcurrency() == null ? RolloutStrategyRules.DEFAULT_MAX_CONCURRENCY : r.maxConcurrency(),
                r.maxFailures() == null && r.maxFailurePercent() == null ? Integer.valueOf(0) : r.maxFailures(),
                r.maxFailurePercent(),
                r.bakeTime() == null ? Duration.ZERO : Duration.parse(r.bakeTime()),
                OfflineMode.valueOf(
                        r.offlineMode() == null ? RolloutStrategyRules.DEFAULT_OFFLINE_MODE : r.offlineMode()),
                r.offlineTimeout() == null
                        ? RolloutStrategyRules.DEFAULT_OFFLINE_TIMEOUT
                        : Duration.parse(r.offlineTimeout()),
                r.healthTimeout() == null
                        ? RolloutStrategyRules.DEFAULT_HEALTH_TIMEOUT
                        : Duration.parse(r.healthTimeout()),
                r.scan());
    }

    /** The clusters in waves, in the given order: the canaries (if any) first, then waves of the strategy's size. */
    public List<List<String>> waves(List<String> clusterIds) {
        List<List<String>> waves = new ArrayList<>();
        int canaryCount = Math.min(canaries, clusterIds.size());
        if (canaryCount > 0) {
            waves.add(List.copyOf(clusterIds.subList(0, canaryCount)));
        }
        int total = clusterIds.size();
        int percent = wavePercent == null ? 100 : wavePercent; // neither set: everything after the canaries at once
        int perWave = waveSize != null && waveSize > 0
                ? waveSize
                : Math.max(1, (int) Math.ceil(total * (double) percent / 100));
        for (int from = canaryCount; from < total; from += perWave) {
            waves.add(List.copyOf(clusterIds.subList(from, Math.min(total, from + perWave))));
        }
        return waves;
    }

    /** Failed clusters tolerated among {@code total} targets before the rollout pauses. */
    public int failuresAllowed(int total) {
        if (maxFailurePercent != null) {
            return (int) Math.floor(total * (double) maxFailurePercent / 100);
        }
        return maxFailures == null ? 0 : maxFailures;
    }
}
