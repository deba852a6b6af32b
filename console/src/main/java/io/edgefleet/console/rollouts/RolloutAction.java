package io.edgefleet.console.rollouts;

import io.edgefleet.sdk.model.RolloutStatus;
import io.edgefleet.sdk.model.TargetState;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an operator may ask of a rollout in its present state, as cluster-service allows it: pause a RUNNING one,
 * resume a PAUSED one, abort either; roll back one of its clusters that FAILED. The console offers only these; the
 * service still decides (its refusal is shown).
 */
public enum RolloutAction {
    PAUSE("Pause", "No cluster starts until it resumes; the clusters rolling now finish."),
    RESUME("Resume", "Clusters start again, wave by wave, as the strategy says."),
    ABORT("Abort", "No cluster starts any more (those rolling finish); an aborted rollout cannot be resumed.");

    private final String label;
    private final String consequence;

    RolloutAction(String label, String consequence) {
        this.label = label;
        this.consequence = consequence;
    }

    public String label() {
        return label;
    }

    public String consequence() {
        return consequence;
    }

    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RolloutAction> of(String path) {
        return Arrays.stream(values()).filter(a -> a.path().equals(path)).findFirst();
    }

    public boolean allowed(RolloutStatus status) {
        if (status == null) {
            return false;
        }
        return switch (this) {
            case PAUSE -> status == RolloutStatus.RUNNING;
            case RESUME -> status == RolloutStatus.PAUSED;
            case ABORT -> status == RolloutStatus.RUNNING || status == RolloutStatus.PAUSED;
        };
    }

    public static List<RolloutAction> offered(RolloutStatus status) {
        return Arrays.stream(values()).filter(a -> a.allowed(status)).toList();
    }

    /** A cluster of the rollout can be rolled back to its former profile version only when it FAILED. */
    public static boolean rollbackAllowed(TargetState state) {
        return state == TargetState.FAILED;
    }

    /**
     * Whether the rollout changes by itself, so its page follows it live (htmx polls its live part): while RUNNING, and
     * while a cluster is still rolling (or rolling back) — a paused or aborted rollout lets those finish.
     */
    public static boolean changing(RolloutStatus status, List<TargetState> states) {
        return status == RolloutStatus.RUNNING
                || states.stream().anyMatch(s -> s == TargetState.ROLLING || s == TargetState.ROLLING_BACK);
    }
}
