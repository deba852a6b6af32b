package io.edgefleet.appliance.deletion;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which reports of a deleted uid are late ones (no I/O). */
class DeletedUidTest {

    private static final Instant DELETED = Instant.parse("2026-12-07T02:00:00Z");
    private static final Duration CUT_OFF = Duration.ofSeconds(60);
    private final DeletedUid deleted = new DeletedUid(DELETED);

    @Test
    void aReportSentBeforeTheDeleteIsLate() {
        assertTrue(deleted.late(DELETED.minusSeconds(1), CUT_OFF));
        assertTrue(deleted.late(DELETED.minus(Duration.ofDays(1)), CUT_OFF));
    }

    @Test
    void aReportSentWhileTheEdgeWasCuttingTheGatewayOffIsLate() {
        assertTrue(deleted.late(DELETED, CUT_OFF));
        assertTrue(deleted.late(DELETED.plusSeconds(5), CUT_OFF), "the access sync takes a moment");
        assertTrue(deleted.late(DELETED.plus(CUT_OFF).minusMillis(1), CUT_OFF));
    }

    @Test
    void aReportSentAfterTheCutOffIsANewDiscovery() {
        assertFalse(deleted.late(DELETED.plus(CUT_OFF), CUT_OFF));
        assertFalse(deleted.late(DELETED.plus(Duration.ofHours(1)), CUT_OFF));
    }
}
