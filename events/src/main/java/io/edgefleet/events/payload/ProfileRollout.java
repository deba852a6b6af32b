package io.edgefleet.events.payload;

/**
 * A profile's rollout strategy: {@code IMMEDIATE} (every strategy field null) or {@code ROLLOUT} with every field
 * filled in (profile-service resolves the defaults). The fields are those of cluster-service's {@code POST
 * /v1/rollouts} strategy; durations are ISO-8601 ({@code PT10M}). A snapshot without it (older producers) means
 * {@code IMMEDIATE}.
 *
 * @param waveSize          clusters per wave, or null when {@code wavePercent} is given
 * @param wavePercent       per cent of the targets per wave, or null when {@code waveSize} is given
 * @param maxFailures       failed clusters tolerated, or null when {@code maxFailurePercent} is given
 * @param maxFailurePercent per cent of the targets tolerated failing, or null when {@code maxFailures} is given
 * @param offlineMode       SKIP, WAIT or FAIL
 * @param scan              the scan in the health gate ({@code RolloutStrategyRules.scan}), or null for none (also
 *                          for older producers)
 */
public record ProfileRollout(
        RolloutMode mode,
        Integer canaries,
        Integer waveSize,
        Integer wavePercent,
        Integer maxConcurrency,
        Integer maxFailures,
        Integer maxFailurePercent,
        String bakeTime,
        String offlineMode,
        String offlineTimeout,
        String healthTimeout,
        ScanGate scan) {

    public static final ProfileRollout IMMEDIATE =
            new ProfileRollout(RolloutMode.IMMEDIATE, null, null, null, null, null, null, null, null, null, null);

    /** A strategy without a scan in its health gate. */
    public ProfileRollout(
            RolloutMode mode,
            Integer canaries,
            Integer waveSize,
            Integer wavePercent,
            Integer maxConcurrency,
            Integer maxFailures,
            Integer maxFailurePercent,
            String bakeTime,
            String offlineMode,
            String offlineTimeout,
            String healthTimeout) {
        this(
                mode,
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

    /** Whether re-links and changes of the profile become a rollout; false for a missing strategy. */
    public static boolean rollsOut(ProfileRollout rollout) {
        return rollout != null && rollout.mode() == RolloutMode.ROLLOUT;
    }
}
