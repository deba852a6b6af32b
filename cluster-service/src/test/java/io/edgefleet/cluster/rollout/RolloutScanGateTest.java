package io.edgefleet.cluster.rollout;

import io.edgefleet.events.payload.ScanGate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scan in the health gate ({@code strategy.scan}), decided by the planner without I/O. */
class RolloutScanGateTest {

    private static final String POLICY = "0b7e4a52-3f1c-4d5e-9a8b-1c2d3e4f5a6b";
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration RESEND = Duration.ofMinutes(1);

    /** No canaries, one cluster per wave, one at a time, no failure tolerated; the scan answers within 10 minutes. */
    private static RolloutStrategy strategy(String failOn) {
        return new RolloutStrategy(
                        0,
                        1,
                        null,
                        1,
                        0,
                        null,
                        Duration.ZERO,
                        OfflineMode.SKIP,
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(15))
                .withScan(new ScanGate(POLICY, failOn, "PT10M"));
    }

    @Test
    void aProfilesDefaultStrategyCarriesItsScanIntoTheRolloutItCreates() {
        ScanGate gate = new ScanGate(POLICY, "WARNED", "PT5M");
        RolloutStrategy s = RolloutStrategy.of(new io.edgefleet.events.payload.ProfileRollout(
                io.edgefleet.events.payload.RolloutMode.ROLLOUT,
                1,
                2,
                null,
                2,
                0,
                null,
                "PT0S",
                "WAIT",
                "PT1H",
                "PT30M",
                gate));
        assertEquals(gate, s.scan());
        assertEquals(Duration.ofMinutes(5), s.scanTimeout());
        assertTrue(s.scanFails(0, 1), "WARNED: a warned check fails it");
        // an older producer's profile (no scan): none
        assertNull(RolloutStrategy.of(io.edgefleet.events.payload.ProfileRollout.IMMEDIATE)
                .scan());
    }

    private static Target target(String id, int wave, TargetState state, ClusterCondition condition, ScanOutcome scan) {
        return new Target(id, wave, state, T0, true, null, condition, scan);
    }

    private static Target scanning(String id, ScanOutcome scan) {
        return target(id, 0, TargetState.SCANNING, ClusterCondition.HEALTHY, scan);
    }

    private static ScanOutcome ended(String status, long passed, long failed, long warned, long error) {
        return new ScanOutcome(T0, "run-1", status, null, passed, failed, warned, error);
    }

    private static RolloutPlan pass(RolloutStrategy s, Instant now, Target... targets) {
        return RolloutPlanner.plan(RolloutStatus.RUNNING, s, List.of(targets), 0, now, RESEND);
    }

    private static RolloutPlan.Change only(RolloutPlan plan, String clusterId) {
        List<RolloutPlan.Change> mine = plan.changes().stream()
                .filter(c -> c.clusterId().equals(clusterId))
                .toList();
        assertEquals(1, mine.size(), () -> "one change of " + clusterId + ": " + plan.changes());
        return mine.get(0);
    }

    @Test
    void aHealthyClusterIsScanningFirstAndTheScanAskedFor() {
        RolloutPlan plan = pass(
                strategy("FAILED"),
                T0.plusSeconds(5),
                target("a", 0, TargetState.ROLLING, ClusterCondition.HEALTHY, null));
        RolloutPlan.Change c = only(plan, "a");
        assertEquals(TargetState.SCANNING, c.to());
        assertTrue(c.reason().contains(POLICY), c.reason());
        assertEquals(List.of("a"), plan.scansRequested());
        assertNull(plan.pauseReason());
    }

    @Test
    void withoutAScanAHealthyClusterIsHealthyAtOnce() {
        RolloutStrategy none = strategy("FAILED").withScan(null);
        RolloutPlan plan =
                pass(none, T0.plusSeconds(5), target("a", 0, TargetState.ROLLING, ClusterCondition.HEALTHY, null));
        assertEquals(TargetState.HEALTHY, only(plan, "a").to());
        assertEquals(List.of(), plan.scansRequested());
    }

    @Test
    void aPassingScanMakesItHealthyAndTheRolloutCompletes() {
        RolloutPlan plan = pass(strategy("FAILED"), T0.plusSeconds(30), scanning("a", ended("SUCCEEDED", 40, 0, 3, 0)));
        RolloutPlan.Change c = only(plan, "a");
        assertEquals(TargetState.HEALTHY, c.to());
        assertEquals("RUNNING with every node running; scan run-1 passed: 0 failed, 3 warned, 40 passed", c.reason());
        assertTrue(plan.completed());
    }

    @Test
    void aFailedCheckFailsTheClusterWithTheCountsAndPausesTheRollout() {
        RolloutPlan plan = pass(
                strategy("FAILED"),
                T0.plusSeconds(30),
                scanning("a", ended("SUCCEEDED", 40, 2, 1, 0)),
                target("b", 1, TargetState.PENDING, ClusterCondition.HEALTHY, null));
        RolloutPlan.Change c = only(plan, "a");
        assertEquals(TargetState.FAILED, c.to());
        assertEquals("scan run-1 did not pass: 2 failed, 1 warned, 40 passed (failOn FAILED)", c.reason());
        assertEquals("1 cluster(s) failed; at most 0 may fail", plan.pauseReason());
        assertEquals(List.of(), plan.started(), "nothing starts after the failure");
    }

    @Test
    void aWarnedCheckFailsOnlyWithFailOnWarned() {
        ScanOutcome warned = ended("SUCCEEDED", 40, 0, 1, 0);
        assertEquals(
                TargetState.HEALTHY,
                only(pass(strategy("FAILED"), T0.plusSeconds(30), scanning("a", warned)), "a")
                        .to());
        RolloutPlan.Change c = only(pass(strategy("WARNED"), T0.plusSeconds(30), scanning("a", warned)), "a");
        assertEquals(TargetState.FAILED, c.to());
        assertEquals("scan run-1 did not pass: 0 failed, 1 warned, 40 passed (failOn WARNED)", c.reason());
    }

    @Test
    void aScanThatFailedWasSkippedOrCheckedNothingFailsTheClusterWithItsReason() {
        ScanOutcome refused =
                new ScanOutcome(T0, "run-2", "FAILED", "policy nightly is a BACKUP policy, not SCAN", 0, 0, 0, 0);
        assertEquals(
                "scan run-2 FAILED: policy nightly is a BACKUP policy, not SCAN",
                only(pass(strategy("FAILED"), T0.plusSeconds(3), scanning("a", refused)), "a")
                        .reason());
        ScanOutcome skipped =
                new ScanOutcome(T0, "run-3", "SKIPPED", "run r9 (BACKUP) is under way on cluster a", 0, 0, 0, 0);
        RolloutPlan.Change c = only(pass(strategy("FAILED"), T0.plusSeconds(3), scanning("a", skipped)), "a");
        assertEquals(TargetState.FAILED, c.to());
        assertTrue(c.reason().startsWith("scan run-3 SKIPPED: run r9"), c.reason());
        RolloutPlan.Change nothing =
                only(pass(strategy("FAILED"), T0.plusSeconds(3), scanning("a", ended("SUCCEEDED", 0, 0, 0, 6))), "a");
        assertEquals(TargetState.FAILED, nothing.to());
        assertEquals(
                "scan run-1 carried out no check: 0 failed, 0 warned, 0 passed, 6 not carried out", nothing.reason());
    }

    @Test
    void noAnswerWithinTheTimeoutFailsTheCluster() {
        ScanOutcome asked = ScanOutcome.requested(T0);
        assertEquals(
                List.of(),
                pass(strategy("FAILED"), T0.plus(Duration.ofMinutes(10)).minusSeconds(1), scanning("a", asked))
                        .changes()
                        .stream()
                        .filter(c -> c.to() == TargetState.FAILED)
                        .toList(),
                "still waiting a second before the timeout");
        RolloutPlan.Change c =
                only(pass(strategy("FAILED"), T0.plus(Duration.ofMinutes(10)), scanning("a", asked)), "a");
        assertEquals(TargetState.FAILED, c.to());
        assertEquals("no answer to the scan request within 10m", c.reason());

        ScanOutcome running = new ScanOutcome(T0, "run-4", "RUNNING", null, 0, 0, 0, 0);
        assertEquals(
                "scan run-4 did not end within 10m",
                only(pass(strategy("FAILED"), T0.plus(Duration.ofMinutes(11)), scanning("a", running)), "a")
                        .reason());
    }

    @Test
    void aRequestWithNoRunIsSentAgainAfterTheResendIntervalAndOnlyThen() {
        ScanOutcome asked = ScanOutcome.requested(T0);
        RolloutStrategy s = strategy("FAILED");
        assertEquals(
                List.of(), pass(s, T0.plusSeconds(59), scanning("a", asked)).scanResends());
        RolloutPlan due = pass(s, T0.plusSeconds(60), scanning("a", asked));
        assertEquals(List.of("a"), due.scanResends());
        assertEquals(List.of(), due.changes(), "still SCANNING");
        // sent again at T0+60s: the next resend is due a resend interval later
        ScanOutcome resent = ScanOutcome.requested(T0.plusSeconds(60));
        assertEquals(
                List.of(), pass(s, T0.plusSeconds(90), scanning("a", resent)).scanResends());
        // a run answered: never sent again, however long it runs
        ScanOutcome running = new ScanOutcome(T0, "run-5", "RUNNING", null, 0, 0, 0, 0);
        assertEquals(
                List.of(), pass(s, T0.plusSeconds(300), scanning("a", running)).scanResends());
    }

    @Test
    void aScanningClusterHoldsItsSlotAndItsWave() {
        RolloutStrategy s = new RolloutStrategy(
                        0,
                        2,
                        null,
                        1,
                        0,
                        null,
                        Duration.ZERO,
                        OfflineMode.SKIP,
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(15))
                .withScan(new ScanGate(POLICY, "FAILED", "PT10M"));
        RolloutPlan plan = pass(
                s,
                T0.plusSeconds(30),
                scanning("a", ScanOutcome.requested(T0)),
                target("b", 0, TargetState.PENDING, ClusterCondition.HEALTHY, null),
                target("c", 1, TargetState.PENDING, ClusterCondition.HEALTHY, null));
        assertEquals(List.of(), plan.started(), "maxConcurrency 1 is taken by the scan; wave 1 waits for wave 0");
        assertTrue(!plan.completed());
    }
}
