package io.edgefleet.cluster.rollout;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rollout planner's rules without I/O. Each test keeps a small fleet (state per cluster, appliances online or
 * not, windows open or not, what the health gate sees) and drives passes as the rollout job does, applying each plan.
 */
class RolloutPlannerTest {

    /** Closed while the tests' clock runs (it opens at noon UTC; the clock stays near midnight). */
    private static final MaintenanceWindow CLOSED = new MaintenanceWindow("0 12 * * *", "UTC", Duration.ofHours(1));

    private Instant clock = Instant.parse("2026-03-01T00:00:00Z");
    private final Map<String, Target> fleet = new java.util.LinkedHashMap<>();
    private final Set<String> offline = new HashSet<>();
    private final Set<String> outsideWindow = new HashSet<>();
    private final Map<String, ClusterCondition> conditions = new HashMap<>();
    private final List<Integer> wavesStarted = new ArrayList<>();
    private RolloutStatus status = RolloutStatus.RUNNING;
    private int accepted;

    private static RolloutStrategy strategy(int canaries, Integer waveSize, Integer wavePercent, int maxConcurrency) {
        return new RolloutStrategy(
                canaries,
                waveSize,
                wavePercent,
                maxConcurrency,
                0,
                null,
                Duration.ZERO,
                OfflineMode.SKIP,
                Duration.ofMinutes(30),
                Duration.ofMinutes(15));
    }

    private static RolloutStrategy withOffline(RolloutStrategy s, OfflineMode mode) {
        return new RolloutStrategy(
                s.canaries(),
                s.waveSize(),
                s.wavePercent(),
                s.maxConcurrency(),
                s.maxFailures(),
                s.maxFailurePercent(),
                s.bakeTime(),
                mode,
                s.offlineTimeout(),
                s.healthTimeout());
    }

    private void fleetOf(int n, RolloutStrategy s) {
        List<String> ids =
                IntStream.range(0, n).mapToObj(i -> String.format("c%08x", i)).toList();
        List<List<String>> waves = s.waves(ids);
        for (int w = 0; w < waves.size(); w++) {
            for (String id : waves.get(w)) {
                fleet.put(id, new Target(id, w, TargetState.PENDING, clock, true, null, ClusterCondition.SETTLING));
            }
        }
    }

    /** One pass a second later, applied: states move, the rollout pauses or completes. */
    private RolloutPlan pass(RolloutStrategy s) {
        clock = clock.plusSeconds(1);
        List<Target> seen = fleet.values().stream()
                .map(t -> new Target(
                        t.clusterId(),
                        t.wave(),
                        t.state(),
                        t.since(),
                        !offline.contains(t.clusterId()),
                        outsideWindow.contains(t.clusterId()) ? CLOSED : null,
                        conditions.getOrDefault(
                                t.clusterId(),
                                // until a test says otherwise: RUNNING before its start, still rolling after
                                t.state().startable() ? ClusterCondition.HEALTHY : ClusterCondition.SETTLING)))
                .toList();
        RolloutPlan plan = RolloutPlanner.plan(status, s, seen, accepted, clock);
        for (RolloutPlan.Change c : plan.changes()) {
            Target t = fleet.get(c.clusterId());
            fleet.put(c.clusterId(), new Target(t.clusterId(), t.wave(), c.to(), clock, true, null, t.condition()));
        }
        long rolling = count(TargetState.ROLLING);
        assertTrue(rolling <= s.maxConcurrency(), "never more than maxConcurrency rolling: " + rolling);
        if (plan.waveStarted() != null) {
            wavesStarted.add(plan.waveStarted());
        }
        if (plan.pauseReason() != null) {
            status = RolloutStatus.PAUSED;
        }
        if (plan.completed()) {
            status = RolloutStatus.COMPLETED;
        }
        return plan;
    }

    /** Every ROLLING cluster becomes healthy. */
    private void rollingBecomeHealthy() {
        fleet.values().stream()
                .filter(t -> t.state() == TargetState.ROLLING)
                .forEach(t -> conditions.put(t.clusterId(), ClusterCondition.HEALTHY));
    }

    private long count(TargetState state) {
        return fleet.values().stream().filter(t -> t.state() == state).count();
    }

    private TargetState state(int i) {
        return fleet.get(String.format("c%08x", i)).state();
    }

    @Test
    void wavesByCountAndPercentageAfterTheCanaries() {
        List<String> ids = IntStream.range(0, 23).mapToObj(i -> "c" + i).toList();
        assertEquals(
                List.of(1, 5, 5, 5, 5, 2),
                strategy(1, 5, null, 5).waves(ids).stream().map(List::size).toList());
        // 10% of 23 targets is 2.3: waves of 3, after two canaries
        assertEquals(
                List.of(2, 3, 3, 3, 3, 3, 3, 3),
                strategy(2, null, 10, 5).waves(ids).stream().map(List::size).toList());
        assertEquals(List.of("c0"), strategy(1, 5, null, 5).waves(ids).get(0));
        assertEquals(
                List.of(23),
                strategy(0, null, null, 5).waves(ids).stream().map(List::size).toList());
    }

    @Test
    void canaryFirstThenWaveByWaveUntilCompleted() {
        RolloutStrategy s = strategy(1, 4, null, 10);
        fleetOf(9, s);

        RolloutPlan first = pass(s);
        assertEquals(List.of("c00000000"), first.started(), "only the canary starts");
        assertEquals(0, first.waveStarted());
        pass(s);
        assertEquals(1, count(TargetState.ROLLING), "nothing else while the canary rolls");

        rollingBecomeHealthy();
        RolloutPlan second = pass(s);
        assertEquals(TargetState.HEALTHY, state(0));
        assertEquals(4, second.started().size(), "then the first wave of 4");
        assertEquals(1, second.waveStarted());
        assertEquals(Set.of(1), Set.of(fleet.get(second.started().get(0)).wave()));

        rollingBecomeHealthy();
        RolloutPlan third = pass(s);
        assertEquals(List.of("c00000005", "c00000006", "c00000007", "c00000008"), third.started());
        assertFalse(third.completed());

        rollingBecomeHealthy();
        RolloutPlan last = pass(s);
        assertTrue(last.completed());
        assertEquals(9, count(TargetState.HEALTHY));
        assertEquals(List.of(0, 1, 2), wavesStarted);
        assertTrue(pass(s).isEmpty(), "a completed rollout does nothing more");
    }

    @Test
    void maxConcurrencyIsNeverExceededInsideAWave() {
        RolloutStrategy s = strategy(0, 10, null, 3);
        fleetOf(20, s);

        assertEquals(3, pass(s).started().size());
        assertEquals(0, pass(s).started().size(), "no slot is free while three roll");
        conditions.put("c00000000", ClusterCondition.HEALTHY);
        assertEquals(List.of("c00000003"), pass(s).started(), "one finished, one more starts");
        for (int i = 0; i < 40 && status == RolloutStatus.RUNNING; i++) {
            rollingBecomeHealthy();
            pass(s); // the 3-rolling limit is asserted in every pass
        }
        assertEquals(RolloutStatus.COMPLETED, status);
        assertEquals(20, count(TargetState.HEALTHY));
    }

    @Test
    void theNextWaveWaitsForTheBakeTime() {
        RolloutStrategy base = strategy(0, 2, null, 2);
        RolloutStrategy s = new RolloutStrategy(
                0, 2, null, 2, 0, null, Duration.ofMinutes(10), OfflineMode.SKIP, Duration.ZERO, Duration.ofHours(1));
        fleetOf(4, base);
        pass(s);
        rollingBecomeHealthy();
        assertTrue(pass(s).started().isEmpty(), "wave 0 finished this pass");
        clock = clock.plus(Duration.ofMinutes(9));
        assertTrue(pass(s).started().isEmpty(), "still baking");
        clock = clock.plus(Duration.ofMinutes(1));
        assertEquals(2, pass(s).started().size(), "baked: wave 1 starts");
    }

    @Test
    void aFailingCanaryPausesAndNothingElseStarts() {
        RolloutStrategy s = strategy(2, 5, null, 5);
        fleetOf(12, s);
        pass(s);
        conditions.put("c00000000", ClusterCondition.HEALTHY);
        conditions.put("c00000001", ClusterCondition.FAILED);

        RolloutPlan plan = pass(s);
        assertEquals("a canary cluster failed", plan.pauseReason());
        assertEquals(TargetState.FAILED, state(1));
        assertTrue(plan.started().isEmpty());
        for (int i = 0; i < 5; i++) {
            assertTrue(pass(s).isEmpty(), "a paused rollout starts nothing");
        }
        assertEquals(10, count(TargetState.PENDING), "no cluster after the canaries was touched");

        status = RolloutStatus.RUNNING; // the operator resumes, accepting the canary's failure
        accepted = 1;
        assertEquals(5, pass(s).started().size());
    }

    @Test
    void aCanaryNotHealthyInTimeFails() {
        RolloutStrategy s = strategy(1, 5, null, 5);
        fleetOf(3, s);
        pass(s);
        clock = clock.plus(Duration.ofMinutes(15));
        RolloutPlan plan = pass(s);
        assertEquals(TargetState.FAILED, state(0));
        assertTrue(
                plan.changes().get(0).reason().contains("within 15m"),
                plan.changes().toString());
        assertNotNull(plan.pauseReason());
    }

    @Test
    void failuresBeyondTheThresholdPauseTheWave() {
        RolloutStrategy s = new RolloutStrategy(
                0, 10, null, 4, null, 20, Duration.ZERO, OfflineMode.SKIP, Duration.ZERO, Duration.ofHours(1));
        fleetOf(10, s); // 20% of 10: two failures tolerated
        pass(s);
        conditions.put("c00000000", ClusterCondition.FAILED);
        conditions.put("c00000001", ClusterCondition.FAILED);
        RolloutPlan tolerated = pass(s);
        assertNull(tolerated.pauseReason());
        assertEquals(2, tolerated.started().size(), "two failures are within the threshold: the freed slots fill");
        conditions.put("c00000002", ClusterCondition.FAILED);
        RolloutPlan third = pass(s);
        assertEquals("3 cluster(s) failed; at most 2 may fail", third.pauseReason());
        assertTrue(third.started().isEmpty());
    }

    @Test
    void offlineAppliancesAreSkipped() {
        RolloutStrategy s = withOffline(strategy(0, 5, null, 5), OfflineMode.SKIP);
        fleetOf(3, s);
        offline.add("c00000001");
        RolloutPlan plan = pass(s);
        assertEquals(TargetState.SKIPPED, state(1));
        assertEquals(List.of("c00000000", "c00000002"), plan.started());
        rollingBecomeHealthy();
        assertTrue(pass(s).completed(), "a skipped cluster is finished and no failure");
    }

    @Test
    void offlineAppliancesFailWhenTheRolloutSaysSo() {
        RolloutStrategy s = withOffline(strategy(0, 5, null, 5), OfflineMode.FAIL);
        fleetOf(3, s);
        offline.add("c00000001");
        RolloutPlan plan = pass(s);
        assertEquals(TargetState.FAILED, state(1));
        assertEquals(
                "appliance offline (offlineMode FAIL)", plan.changes().get(1).reason());
        assertNotNull(plan.pauseReason(), "maxFailures 0: the failure pauses");
        assertEquals(List.of("c00000000"), plan.started(), "nothing starts after the pause");
    }

    @Test
    void offlineAppliancesAreWaitedForUpToTheTimeout() {
        RolloutStrategy s = withOffline(strategy(0, 5, null, 5), OfflineMode.WAIT);
        fleetOf(3, s);
        offline.add("c00000001");
        offline.add("c00000002");
        pass(s);
        assertEquals(TargetState.WAITING_OFFLINE, state(1));
        clock = clock.plus(Duration.ofMinutes(10));
        offline.remove("c00000001"); // back within the timeout: it starts
        assertEquals(List.of("c00000001"), pass(s).started());
        rollingBecomeHealthy();
        clock = clock.plus(Duration.ofMinutes(20));
        RolloutPlan plan = pass(s);
        assertEquals(TargetState.FAILED, state(2));
        assertEquals(
                new RolloutPlan.Change("c00000002", TargetState.FAILED, "appliance offline for longer than 30m"),
                plan.changes().get(2));
    }

    @Test
    void clustersOutsideTheirWindowWait() {
        RolloutStrategy s = strategy(0, 5, null, 5);
        fleetOf(2, s);
        outsideWindow.add("c00000001");
        assertEquals(List.of("c00000000"), pass(s).started());
        assertEquals(TargetState.WAITING_WINDOW, state(1));
        rollingBecomeHealthy();
        RolloutPlan waiting = pass(s);
        assertFalse(waiting.completed());
        assertTrue(
                waiting.changes().stream().noneMatch(c -> c.clusterId().equals("c00000001")),
                "a waiting cluster is not moved (nor published) again each pass");
        outsideWindow.clear();
        assertEquals(List.of("c00000001"), pass(s).started(), "the window opened");
    }

    /**
     * Every day from 22:00 Europe/Berlin for 6 hours. On Sunday 2027-03-28 (the last of March) Berlin's clocks go from
     * 02:00 CET (UTC+1) to 03:00 CEST (UTC+2): the window opens at 21:00 UTC before and at 20:00 UTC after.
     */
    @Test
    void aWindowIsHonouredInLocalTimeAcrossTheDaylightSavingChange() {
        MaintenanceWindow w = new MaintenanceWindow("0 22 * * *", "Europe/Berlin", Duration.ofHours(6));
        RolloutPlan.Change saturdayBefore = firstPass(w, "2027-03-27T20:30:00Z"); // 21:30 CET
        assertEquals(TargetState.WAITING_WINDOW, saturdayBefore.to());
        assertTrue(saturdayBefore.reason().endsWith("opens next at 2027-03-27T21:00:00Z)"), saturdayBefore.reason());
        assertEquals(TargetState.ROLLING, firstPass(w, "2027-03-27T21:30:00Z").to()); // 22:30 CET
        // the night of the change: opened at 21:00 UTC, 6 hours of elapsed time (until 05:00 CEST)
        assertEquals(TargetState.ROLLING, firstPass(w, "2027-03-28T02:30:00Z").to()); // 04:30 CEST
        assertEquals(
                TargetState.WAITING_WINDOW, firstPass(w, "2027-03-28T03:30:00Z").to()); // 05:30 CEST
        RolloutPlan.Change sundayBefore = firstPass(w, "2027-03-28T19:30:00Z"); // 21:30 CEST
        assertEquals(TargetState.WAITING_WINDOW, sundayBefore.to());
        assertTrue(sundayBefore.reason().endsWith("opens next at 2027-03-28T20:00:00Z)"), sundayBefore.reason());
        // 22:30 CEST: open, though a window kept at Saturday's 21:00 UTC would still be closed
        assertEquals(TargetState.ROLLING, firstPass(w, "2027-03-28T20:30:00Z").to());
        // and back in autumn (2027-10-31, 03:00 CEST -> 02:00 CET): 22:00 CET is 21:00 UTC again
        assertEquals(
                TargetState.WAITING_WINDOW, firstPass(w, "2027-10-31T20:30:00Z").to()); // 21:30 CET
        assertEquals(TargetState.ROLLING, firstPass(w, "2027-10-31T21:00:00Z").to()); // 22:00 CET, the opening itself
    }

    /** The first pass over one PENDING, healthy, online cluster with this window at this instant. */
    private static RolloutPlan.Change firstPass(MaintenanceWindow w, String at) {
        Instant now = Instant.parse(at);
        RolloutPlan plan = RolloutPlanner.plan(
                RolloutStatus.RUNNING,
                strategy(0, 1, null, 1),
                List.of(new Target("c00000000", 0, TargetState.PENDING, now, true, w, ClusterCondition.HEALTHY)),
                0,
                now);
        return plan.changes().get(0);
    }

    /** The service moves a FAILED target to ROLLING_BACK (an operator's rollback); the planner's gate ends it. */
    @Test
    void aRollbackPassesTheHealthGateInAPausedRolloutAndStillCountsAsAFailure() {
        RolloutStrategy s = strategy(0, 5, null, 5); // maxFailures 0
        fleetOf(3, s);
        conditions.put("c00000000", ClusterCondition.FAILED);
        assertNotNull(pass(s).pauseReason());
        Target failed = fleet.get("c00000000");
        fleet.put("c00000000", new Target("c00000000", 0, TargetState.ROLLING_BACK, clock, true, null, null));
        conditions.put("c00000000", ClusterCondition.SETTLING);
        assertTrue(pass(s).isEmpty(), "paused: nothing starts, the rollback is still settling");
        conditions.put("c00000000", ClusterCondition.HEALTHY);
        RolloutPlan back = pass(s);
        assertEquals(TargetState.ROLLED_BACK, state(0));
        assertEquals(
                "rolled back: RUNNING with every node running",
                back.changes().get(0).reason());
        assertEquals(TargetState.FAILED, failed.state());

        status = RolloutStatus.RUNNING; // resumed without accepting it: the rolled-back cluster failed all the same
        assertNotNull(pass(s).pauseReason());
        status = RolloutStatus.RUNNING;
        accepted = 1; // resumed: accepted
        assertEquals(List.of("c00000001", "c00000002"), pass(s).started());
    }

    @Test
    void aRollbackThatDoesNotBecomeHealthyFailsAgain() {
        RolloutStrategy s = strategy(0, 5, null, 5);
        fleetOf(1, s);
        status = RolloutStatus.ABORTED;
        fleet.put("c00000000", new Target("c00000000", 0, TargetState.ROLLING_BACK, clock, true, null, null));
        conditions.put("c00000000", ClusterCondition.SETTLING);
        clock = clock.plus(Duration.ofMinutes(15));
        assertEquals(
                new RolloutPlan.Change(
                        "c00000000", TargetState.FAILED, "rollback: not RUNNING with every node running within 15m"),
                pass(s).changes().get(0));
    }

    @Test
    void aClusterThatCannotBeChangedFailsAndABusyOneWaits() {
        RolloutStrategy s = strategy(0, 5, null, 5);
        fleetOf(3, s);
        conditions.put("c00000000", ClusterCondition.FAILED); // FAILED or being deleted
        conditions.put("c00000001", ClusterCondition.SETTLING); // UPDATING from another change
        RolloutPlan plan = pass(s);
        assertEquals(TargetState.FAILED, state(0));
        assertEquals(TargetState.PENDING, state(1));
        assertNotNull(plan.pauseReason(), "maxFailures 0");
        assertTrue(plan.started().isEmpty(), "the failure pauses before anything starts");
    }

    @Test
    void anAbortedRolloutStartsNothingButStillWatchesWhatRolls() {
        RolloutStrategy s = strategy(0, 10, null, 2);
        fleetOf(6, s);
        pass(s);
        status = RolloutStatus.ABORTED;
        rollingBecomeHealthy();
        RolloutPlan plan = pass(s);
        assertTrue(plan.started().isEmpty());
        assertEquals(2, count(TargetState.HEALTHY), "the started clusters' outcome is still recorded");
        assertFalse(plan.completed());
        assertTrue(pass(s).isEmpty());
        assertEquals(4, count(TargetState.PENDING));
    }
}
