package io.edgefleet.testsupport;

import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertThrows;

class EventuallyTest {

    private static final Duration PERIOD = Duration.ofMillis(600);
    private static final Duration POLL = Duration.ofMillis(50);

    @Test
    void staysPassesWhenTheConditionHoldsAllThrough() {
        Eventually.stays("always", PERIOD, POLL, () -> true);
    }

    @Test
    void staysFailsWhenTheConditionBreaksOnceAndComesBack() {
        AtomicInteger polls = new AtomicInteger();
        // false once, on the third look, and true before and after: a flip in between is a failure, not a restart
        assertThrows(
                TerminalFailureException.class,
                () -> Eventually.stays("flips once", PERIOD, POLL, () -> polls.incrementAndGet() != 3));
    }

    @Test
    void staysFailsWhenTheConditionNeverHolds() {
        assertThrows(TerminalFailureException.class, () -> Eventually.stays("never", PERIOD, POLL, () -> false));
    }
}
