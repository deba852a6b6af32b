package io.edgefleet.appliance.link;

import io.edgefleet.appliance.link.LinkGrace.Reason;
import io.edgefleet.appliance.link.LinkLoss.Outcome;
import io.edgefleet.events.payload.ApplianceStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a link-lost will does (no I/O). */
class LinkLossTest {

    private static final Instant CONNECTED = Instant.parse("2026-12-07T12:00:00Z");
    private static final LinkGrace.Verdict TRUSTED = new LinkGrace.Verdict(Reason.TRUSTED, null);
    private static final LinkGrace.Verdict RECENT = new LinkGrace.Verdict(Reason.LINK_RECENT, "bridge-1");

    @Test
    void theWillOfTheNewestConnectionTurnsAReadyApplianceUnreachable() {
        assertEquals(Outcome.UNREACHABLE, LinkLoss.decide(ApplianceStatus.READY, CONNECTED, CONNECTED, TRUSTED));
    }

    @Test
    void aWillOfAnOlderGatewayWithoutConnectionTimesCountsToo() {
        assertEquals(Outcome.UNREACHABLE, LinkLoss.decide(ApplianceStatus.READY, null, CONNECTED, TRUSTED));
    }

    @Test
    void aWillOfAnEarlierConnectionIsStale() {
        assertEquals(
                Outcome.NEWER_CONNECTION,
                LinkLoss.decide(ApplianceStatus.READY, CONNECTED.plusSeconds(40), CONNECTED, TRUSTED));
    }

    @Test
    void aWillOfALaterConnectionThanTheReportsKnowCounts() {
        // the reports of that connection were still in the gateway's outbox
        assertEquals(
                Outcome.UNREACHABLE,
                LinkLoss.decide(ApplianceStatus.READY, CONNECTED.minusSeconds(40), CONNECTED, TRUSTED));
    }

    @Test
    void onlyAReadyApplianceChanges() {
        for (ApplianceStatus status : List.of(ApplianceStatus.UNPAIRED, ApplianceStatus.UNREACHABLE)) {
            assertEquals(Outcome.NOT_READY, LinkLoss.decide(status, CONNECTED, CONNECTED, TRUSTED));
        }
        assertEquals(Outcome.NOT_READY, LinkLoss.decide(null, CONNECTED, CONNECTED, TRUSTED));
    }

    @Test
    void whileTheEdgeLinkIsNotTrustedTheWillIsLeftToTheSweep() {
        assertEquals(Outcome.LINK_NOT_TRUSTED, LinkLoss.decide(ApplianceStatus.READY, CONNECTED, CONNECTED, RECENT));
        assertEquals(
                Outcome.LINK_NOT_TRUSTED,
                LinkLoss.decide(
                        ApplianceStatus.READY,
                        CONNECTED,
                        CONNECTED,
                        new LinkGrace.Verdict(Reason.CLIENTS_RECONNECTING, "bridge-1")));
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
