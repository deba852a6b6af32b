package io.edgefleet.cluster.orchestration;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which progress of a batch of reports is applied, and which is dropped as adding nothing. */
class ProgressTriageTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Instant SENT = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void progressOfACommandWhoseResultIsInTheSameBatchIsDropped() {
        var running = new ProgressTriage.TaskNow(true, SENT);
        assertFalse(
                ProgressTriage.worthApplying("c1", "booting", running, Set.of("c1"), TIMEOUT, SENT.plusSeconds(120)));
        assertTrue(
                ProgressTriage.worthApplying("c1", "booting", running, Set.of("c2"), TIMEOUT, SENT.plusSeconds(120)));
    }

    @Test
    void aStartedRightAfterTheSendIsDroppedButOneAfterALongSilenceKeepsTheCommandAlive() {
        var running = new ProgressTriage.TaskNow(true, SENT);
        assertFalse(ProgressTriage.worthApplying("c1", "accepted", running, Set.of(), TIMEOUT, SENT.plusMillis(90)));
        assertFalse(ProgressTriage.worthApplying("c1", "started", running, Set.of(), TIMEOUT, SENT.plusMillis(150)));
        // delivered late (the gateway was offline): its "started" moves the timeout on
        assertTrue(ProgressTriage.worthApplying("c1", "started", running, Set.of(), TIMEOUT, SENT.plusSeconds(61)));
    }

    @Test
    void otherStepsAreAlwaysAppliedToARunningTask() {
        var running = new ProgressTriage.TaskNow(true, SENT);
        assertTrue(ProgressTriage.worthApplying("c1", "booting", running, Set.of(), TIMEOUT, SENT.plusMillis(150)));
        assertTrue(ProgressTriage.worthApplying("c1", "still running", running, Set.of(), TIMEOUT, SENT.plusMillis(1)));
    }

    @Test
    void progressAboutNoTaskOrAFinishedOneIsDropped() {
        assertFalse(ProgressTriage.worthApplying("c1", "booting", null, Set.of(), TIMEOUT, SENT));
        var done = new ProgressTriage.TaskNow(false, SENT);
        assertFalse(ProgressTriage.worthApplying("c1", "booting", done, Set.of(), TIMEOUT, SENT.plusSeconds(120)));
    }
}
