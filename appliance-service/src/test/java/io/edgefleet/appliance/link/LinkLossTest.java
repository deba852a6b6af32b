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

    private record Event(String uid, boolean will, int offset) {}

    @Test
    void aWillFollowedByAReportOfTheSameApplianceInOnePollIsOvertaken() {
        Event willA = new Event("a", true, 1);
        Event willB = new Event("b", true, 2);
        Event registrationA = new Event("a", false, 3);
        Event heartbeatC = new Event("c", false, 4);
        Event willC = new Event("c", true, 5);
        List<Event> kept = LinkLoss.withoutOvertakenWills(
                List.of(willA, willB, registrationA, heartbeatC, willC), Event::uid, Event::will);
        assertEquals(List.of(willB, registrationA, heartbeatC, willC), kept);
    }

    @Test
    void aWillAfterTheLastReportStands() {
        Event heartbeat = new Event("a", false, 1);
        Event will = new Event("a", true, 2);
        assertEquals(
                List.of(heartbeat, will),
                LinkLoss.withoutOvertakenWills(List.of(heartbeat, will), Event::uid, Event::will));
    }
}
