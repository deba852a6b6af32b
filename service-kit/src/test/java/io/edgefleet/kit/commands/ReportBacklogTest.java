package io.edgefleet.kit.commands;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How far behind the gateways the report consumer is, as the resender counts silence. */
class ReportBacklogTest {

    @Test
    void theLagIsTheAgeOfTheNewestReportAppliedWhileItIsRecent() {
        ReportBacklog backlog = new ReportBacklog();
        assertEquals(Duration.ZERO, backlog.lag(Duration.ofSeconds(30)), "nothing applied yet: not behind");

        backlog.applied(Instant.now().minusSeconds(20)); // a report written 20 s ago applied only now
        Duration lag = backlog.lag(Duration.ofSeconds(30));
        assertTrue(
                lag.compareTo(Duration.ofSeconds(19)) > 0 && lag.compareTo(Duration.ofSeconds(22)) < 0, lag::toString);

        backlog.applied(Instant.now()); // caught up
        assertTrue(backlog.lag(Duration.ofSeconds(30)).compareTo(Duration.ofSeconds(1)) < 0);
    }

    @Test
    void aMeasureOlderThanRecentOrWithoutATimestampSaysNothing() {
        ReportBacklog backlog = new ReportBacklog();
        backlog.applied(Instant.now().minusSeconds(20));
        assertEquals(Duration.ZERO, backlog.lag(Duration.ZERO), "measured longer ago than 'recent'");

        ReportBacklog noTimestamp = new ReportBacklog();
        noTimestamp.applied(Instant.ofEpochMilli(-1)); // Kafka's "no timestamp"
        assertEquals(Duration.ZERO, noTimestamp.lag(Duration.ofSeconds(30)));
        backlog.applied(Instant.now().plusSeconds(2)); // a producer's clock ahead of ours
        assertEquals(Duration.ZERO, backlog.lag(Duration.ofSeconds(30)));
    }
}
