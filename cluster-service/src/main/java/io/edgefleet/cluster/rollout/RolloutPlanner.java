package io.edgefleet.cluster.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides one pass of a rollout from its strategy and its clusters' states. No I/O (like
 * {@code orchestration.Planner}): the caller loads the rollout, runs a pass, and applies the {@link RolloutPlan} in
 * one transaction, so the per-cluster state is the record of what was started and a restart never starts a cluster
 * twice.
 * <p>
 * The rules, in order:
 * <ul>
 *   <li>The health gate, in every status: a ROLLING (or ROLLING_BACK: then ROLLED_BACK) cluster that is RUNNING with every node running is HEALTHY; one
 *   whose update failed, or that is not healthy within {@code healthTimeout}, FAILED. (A paused or aborted rollout
 *   still records how the clusters it started end.)</li>
 *   <li>The scan in the health gate ({@code strategy.scan}): a ROLLING cluster that passed the health gate is SCANNING
 *   (the caller asks policy-service for the scan) and then HEALTHY when the scan's run passed, FAILED with the counts
 *   when it found failed checks (with {@code failOn} WARNED also warned ones), when it failed or was skipped, when
 *   every check it ran could not be carried out, or when no answer ended within the scan's {@code timeout}. A request
 *   with no run seen for {@code scanResend} is sent again (the same request: policy-service runs it once).</li>
 *   <li>Only a RUNNING rollout starts anything. It works on the lowest wave with a cluster not finished; a wave
 *   starts once the one before it is finished and {@code bakeTime} has passed since its last cluster finished.</li>
 *   <li>In the wave, in order: an offline cluster is SKIPPED, FAILED, or WAITING_OFFLINE until it is back or
 *   {@code offlineTimeout} passed (then FAILED); one that is FAILED or being deleted FAILED; one busy with another
 *   change waits; one outside its maintenance window ({@link MaintenanceWindow}, local time) is WAITING_WINDOW; the others
 *   start (ROLLING) while fewer than {@code maxConcurrency} clusters of the rollout are ROLLING.</li>
 *   <li>Failures pause the rollout before anything else starts: any new failure while the canaries are the only
 *   clusters started, otherwise more new failures than {@code failuresAllowed}. "New" is beyond the failures the
 *   operator accepted by resuming.</li>
 *   <li>Every cluster finished: COMPLETED.</li>
 * </ul>
 */
public final class RolloutPlanner {

    private final RolloutStrategy strategy;
    private final Instant now;
    private final int acceptedFailures;
    private final Duration scanResend;
    private final List<String> scanResends = new ArrayList<>();
    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final List<RolloutPlan.Change> changes = new ArrayList<>();

    /** How long a scan request waits for its run before it is sent again, unless the caller says otherwise. */
    public static final Duration DEFAULT_SCAN_RESEND = Duration.ofMinutes(1);

    private RolloutPlanner(
            RolloutStrategy strategy, List<Target> targets, int acceptedFailures, Instant now, Duration scanResend) {
        this.strategy = strategy;
        this.scanResend = scanResend;
        this.now = now;
        this.acceptedFailures = acceptedFailures;
        targets.forEach(t -> this.targets.put(t.clusterId(), t));
    }

    /**
     * @param targets          every cluster of the rollout, in rollout order
     * @param acceptedFailures failed clusters the operator accepted by resuming (the FAILED count at the last resume)
     */
    public static RolloutPlan plan(
            RolloutStatus status, RolloutStrategy strategy, List<Target> targets, int acceptedFailures, Instant now) {
        return plan(status, strategy, targets, acceptedFailures, now, DEFAULT_SCAN_RESEND);
    }

    /** @param scanResend how long a scan request with no run seen waits before it is sent again */
    public static RolloutPlan plan(
            RolloutStatus status,
            RolloutStrategy strategy,
            List<Target> targets,
            int acceptedFailures,
            Instant now,
            Duration scanResend) {
        return new RolloutPlanner(strategy, targets, acceptedFailures, now, scanResend).pass(status);
    }

    private RolloutPlan pass(RolloutStatus status) {
        healthGate();
        if (status != RolloutStatus.RUNNING) {
            return plan(null, null, false);
        }
        String pause = pauseReason();
        if (pause != null) {
            return plan(null, pause, false);
        }
        Integer wave = currentWave();
        if (wave == null) {
            return plan(null, null, true);
        }
        boolean waveStarted = targetsOf(wave).stream().anyMatch(t -> !t.state().startable());
        if (!waveStarted && baking(wave)) {
            return plan(null, null, false);
        }
        long rolling =
                targets.values().stream().filter(t -> t.state().changing()).count();
        for (Target t : targetsOf(wave)) {
            if (!t.state().startable()) {
                continue;
            }
            if (!t.online()) {
                offline(t);
            } else if (t.condition() == ClusterCondition.FAILED) {
                change(
                        t,
                        TargetState.FAILED,
                        "the cluster is not RUNNING (failed or being deleted) when its turn came");
            } else if (t.condition() == ClusterCondition.SETTLING) {
                continue; // busy with another change: it waits for it, without a slot
            } else if (t.window() != null && !t.window().contains(now)) {
                if (t.state() != TargetState.WAITING_WINDOW) {
                    change(t, TargetState.WAITING_WINDOW, "outside its maintenance window" + nextOpening(t.window()));
                }
            } else if (rolling < strategy.maxConcurrency()) {
                change(t, TargetState.ROLLING, "update started (wave " + wave + ")");
                rolling++;
            } else if (t.state() != TargetState.PENDING) {
                change(t, TargetState.PENDING, "ready; waiting for a free slot (maxConcurrency)");
            }
            pause = pauseReason();
            if (pause != null) {
                break;
            }
        }
        boolean startsNow = !waveStarted
                && targetsOf(wave).stream().anyMatch(t -> !t.state().startable());
        boolean done = pause == null && currentWave() == null;
        return plan(startsNow ? wave : null, pause, done);
    }

    private RolloutPlan plan(Integer waveStarted, String pause, boolean completed) {
        return new RolloutPlan(List.copyOf(changes), waveStarted, pause, completed, List.copyOf(scanResends));
    }

    private void healthGate() {
        for (Target t : List.copyOf(targets.values())) {
            if (t.state() == TargetState.ROLLING_BACK) {
                rollbackGate(t);
                continue;
            }
            if (t.state() == TargetState.SCANNING) {
                scanGate(t);
                continue;
            }
            if (t.state() != TargetState.ROLLING) {
                continue;
            }
            switch (t.condition()) {
                case HEALTHY -> {
                    if (strategy.scan() == null) {
                        change(t, TargetState.HEALTHY, "RUNNING with every node running");
                    } else {
                        change(
                                t,
                                TargetState.SCANNING,
                                "RUNNING with every node running; scan of policy "
                                        + strategy.scan().policyId() + " requested");
                    }
                }
                case FAILED -> change(t, TargetState.FAILED, "the cluster's update failed");
                case SETTLING -> {
                    if (!now.isBefore(t.since().plus(strategy.healthTimeout()))) {
                        change(
                                t,
                                TargetState.FAILED,
                                "not RUNNING with every node running within " + human(strategy.healthTimeout()));
                    }
                }
            }
        }
    }

    /** A SCANNING cluster: the scan's answer decides; none in time fails it; a request with no run is sent again. */
    private void scanGate(Target t) {
        ScanOutcome scan = t.scan() == null ? ScanOutcome.requested(t.since()) : t.scan();
        if (scan.ended()) {
            String run = "scan " + scan.runId();
            if (!scan.runStatus().equals("SUCCEEDED")) {
                change(
                        t,
                        TargetState.FAILED,
                        run + " " + scan.runStatus() + (scan.reason() == null ? "" : ": " + scan.reason()));
            } else if (strategy.scanFails(scan.failed(), scan.warned())) {
                change(
                        t,
                        TargetState.FAILED,
                        run + " did not pass: " + scan.counts() + " (failOn "
                                + strategy.scan().failOn() + ")");
            } else if (scan.passed() == 0 && scan.error() > 0) {
                change(t, TargetState.FAILED, run + " carried out no check: " + scan.counts());
            } else {
                change(t, TargetState.HEALTHY, "RUNNING with every node running; " + run + " passed: " + scan.counts());
            }
        } else if (!now.isBefore(t.since().plus(strategy.scanTimeout()))) {
            change(
                    t,
                    TargetState.FAILED,
                    (scan.runId() == null ? "no answer to the scan request" : "scan " + scan.runId() + " did not end")
                            + " within " + human(strategy.scanTimeout()));
        } else if (scan.runId() == null && !now.isBefore(scan.lastSentAt().plus(scanResend))) {
            scanResends.add(t.clusterId());
        }
    }

    /** A rollback passes the same gate: ROLLED_BACK when healthy again, FAILED when it fails or takes too long. */
    private void rollbackGate(Target t) {
        switch (t.condition()) {
            case HEALTHY -> change(t, TargetState.ROLLED_BACK, "rolled back: RUNNING with every node running");
            case FAILED -> change(t, TargetState.FAILED, "the rollback failed");
            case SETTLING -> {
                if (!now.isBefore(t.since().plus(strategy.healthTimeout()))) {
                    change(
                            t,
                            TargetState.FAILED,
                            "rollback: not RUNNING with every node running within " + human(strategy.healthTimeout()));
                }
            }
        }
    }

    private void offline(Target t) {
        switch (strategy.offlineMode()) {
            case SKIP -> change(t, TargetState.SKIPPED, "appliance offline (offlineMode SKIP)");
            case FAIL -> change(t, TargetState.FAILED, "appliance offline (offlineMode FAIL)");
            case WAIT -> {
                if (t.state() != TargetState.WAITING_OFFLINE) {
                    change(
                            t,
                            TargetState.WAITING_OFFLINE,
                            "appliance offline; waiting up to " + human(strategy.offlineTimeout()));
                } else if (!now.isBefore(t.since().plus(strategy.offlineTimeout()))) {
                    change(
                            t,
                            TargetState.FAILED,
                            "appliance offline for longer than " + human(strategy.offlineTimeout()));
                }
            }
        }
    }

    /** Why the rollout must pause now, or null. */
    private String pauseReason() {
        long failed =
                targets.values().stream().filter(t -> t.state().failedOnce()).count();
        long fresh = failed - acceptedFailures;
        if (fresh <= 0) {
            return null;
        }
        if (canaryPhase()) {
            return "a canary cluster failed";
        }
        int allowed = strategy.failuresAllowed(targets.size());
        return fresh > allowed ? failed + " cluster(s) failed; at most " + allowed + " may fail" : null;
    }

    /** The strategy has canaries and no cluster after them has been started. */
    private boolean canaryPhase() {
        return strategy.canaries() > 0
                && targets.values().stream()
                        .filter(t -> t.wave() > 0)
                        .allMatch(t -> t.state().startable());
    }

    private Integer currentWave() {
        return targets.values().stream()
                .filter(t -> !t.state().finished())
                .map(Target::wave)
                .min(Integer::compare)
                .orElse(null);
    }

    /** The wave before this one finished less than {@code bakeTime} ago. */
    private boolean baking(int wave) {
        return targets.values().stream()
                .filter(t -> t.wave() < wave)
                .map(Target::since)
                .max(Instant::compareTo)
                .map(finished -> now.isBefore(finished.plus(strategy.bakeTime())))
                .orElse(false);
    }

    private List<Target> targetsOf(int wave) {
        return targets.values().stream().filter(t -> t.wave() == wave).toList();
    }

    private void change(Target t, TargetState to, String reason) {
        targets.put(
                t.clusterId(),
                new Target(t.clusterId(), t.wave(), to, now, t.online(), t.window(), t.condition(), t.scan()));
        changes.add(new RolloutPlan.Change(t.clusterId(), to, reason));
    }

    private String nextOpening(MaintenanceWindow w) {
        return w.nextOpening(now)
                .map(at -> " (" + w.cron() + " " + w.zone() + " for " + human(w.duration()) + "; opens next at " + at
                        + ")")
                .orElse("");
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase();
    }
}
