package io.edgefleet.appliance.link;

import io.edgefleet.appliance.link.LinkLoss.OnWill;
import io.edgefleet.events.payload.ApplianceStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a link-lost will does (no I/O). */
class LinkLossTest {

    private static final Instant CONNECTED = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void theWillOfTheNewestConnectionIsRecorded() {
        assertEquals(OnWill.RECORDED, LinkLoss.onWill(ApplianceStatus.READY, CONNECTED, CONNECTED));
    }

    @Test
    void aWillOfAGatewayWhoseReportsGaveNoConnectionTimeIsRecorded() {
        assertEquals(OnWill.RECORDED, LinkLoss.onWill(ApplianceStatus.READY, null, CONNECTED));
    }

    @Test
    void aWillOfAnEarlierConnectionIsStale() {
        assertEquals(
                OnWill.NEWER_CONNECTION, LinkLoss.onWill(ApplianceStatus.READY, CONNECTED.plusSeconds(40), CONNECTED));
    }

    @Test
    void aWillOfALaterConnectionThanTheReportsKnowIsRecorded() {
        // the reports of that connection were still in the gateway's outbox
        assertEquals(OnWill.RECORDED, LinkLoss.onWill(ApplianceStatus.READY, CONNECTED.minusSeconds(40), CONNECTED));
    }

    @Test
    void onlyAReadyApplianceRecordsALoss() {
        for (ApplianceStatus status : List.of(ApplianceStatus.UNPAIRED, ApplianceStatus.UNREACHABLE)) {
            assertEquals(OnWill.NOT_READY, LinkLoss.onWill(status, CONNECTED, CONNECTED));
        }
        assertEquals(OnWill.NOT_READY, LinkLoss.onWill(null, CONNECTED, CONNECTED));
    }

    @Test
    void aRecordedLossStandsUntilALaterConnectionReports() {
        assertTrue(LinkLoss.stillLost(CONNECTED, CONNECTED), "its own connection's reports do not lift it");
        assertTrue(LinkLoss.stillLost(null, CONNECTED));
        assertFalse(LinkLoss.stillLost(CONNECTED.plusMillis(1), CONNECTED), "a later connection reported: back");
        assertFalse(LinkLoss.stillLost(CONNECTED, null), "none recorded");
    }

    /** An event of a poll: a will or a report, of the connection that began at second {@code connected}. */
    private record Event(String uid, boolean will, Integer connected) {}

    private static List<Event> kept(Event... poll) {
        return LinkLoss.withoutOvertakenWills(
                List.of(poll),
                Event::uid,
                Event::will,
                (later, will) -> LinkLoss.overtakes(seconds(later.connected()), seconds(will.connected())));
    }

    private static Instant seconds(Integer s) {
        return s == null ? null : CONNECTED.plusSeconds(s);
    }

    @Test
    void aWillFollowedByAReportOfALaterConnectionInOnePollIsOvertaken() {
        Event willA = new Event("a", true, 1);
        Event willB = new Event("b", true, 1);
        Event registrationA = new Event("a", false, 50);
        Event heartbeatC = new Event("c", false, 1);
        Event willC = new Event("c", true, 1);
        assertEquals(
                List.of(willB, registrationA, heartbeatC, willC), kept(willA, willB, registrationA, heartbeatC, willC));
    }

    @Test
    void aReportThatDoesNotSayItsConnectionOvertakesTooButOneOfTheLostConnectionDoesNot() {
        Event will = new Event("a", true, 10);
        Event unknown = new Event("a", false, null);
        Event sameConnection = new Event("a", false, 10); // left in the gateway's outbox, sent late
        assertEquals(List.of(unknown), kept(will, unknown));
        assertEquals(List.of(will, sameConnection), kept(will, sameConnection));
    }

    @Test
    void aWillAfterTheLastReportStands() {
        Event heartbeat = new Event("a", false, 1);
        Event will = new Event("a", true, 1);
        assertEquals(List.of(heartbeat, will), kept(heartbeat, will));
    }
}
