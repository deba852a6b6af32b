package io.edgefleet.appliance.link;

import io.edgefleet.appliance.link.LinkGrace.BridgeStatus;
import io.edgefleet.appliance.link.LinkGrace.Reason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the heartbeat sweep may trust silence, from the bridges' link statuses (no I/O). */
class LinkGraceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration FRESHNESS = Duration.ofSeconds(15);
    private static final Duration BLIND_FOR = Duration.ofMinutes(30);
    private static final Duration LONG_AGO = Duration.ofHours(2);
    private final LinkGrace grace = new LinkGrace(TIMEOUT, FRESHNESS, BLIND_FOR);

    private static BridgeStatus bridge(String id, boolean linked, Duration sinceAgo, Duration reportedAgo) {
        return new BridgeStatus(id, linked, NOW.minus(sinceAgo), NOW.minus(reportedAgo), false);
    }

    /** A bridge's last word as it stopped: not linked, stopping. */
    private static BridgeStatus stopped(String id, Duration reportedAgo) {
        return new BridgeStatus(id, false, NOW.minus(reportedAgo), NOW.minus(reportedAgo), true);
    }

    private LinkGrace.Verdict decide(BridgeStatus... bridges) {
        return grace.decide(List.of(bridges), NOW);
    }

    @Test
    void noBridgeStatusEverSeenSweepsAsBefore() {
        LinkGrace.Verdict verdict = decide();
        assertEquals(Reason.NO_BRIDGE_STATUS, verdict.reason());
        assertTrue(verdict.sweep(), "a deployment whose bridge reports no link keeps today's behaviour");
    }

    @Test
    void aLiveBridgeLinkedForATimeoutIsTrusted() {
        LinkGrace.Verdict verdict = decide(bridge("b1", true, LONG_AGO, Duration.ofSeconds(3)));
        assertEquals(Reason.TRUSTED, verdict.reason());
        assertTrue(verdict.sweep());
        assertNull(verdict.bridgeId());
        // exactly one timeout up is enough; a status exactly as old as the freshness bound is still live
        assertTrue(decide(bridge("b1", true, TIMEOUT, FRESHNESS)).sweep());
    }

    @Test
    void aLinkUpForLessThanTheTimeoutHoldsTheSweepBack() {
        LinkGrace.Verdict verdict = decide(bridge("b1", true, TIMEOUT.minusSeconds(1), Duration.ofSeconds(1)));
        assertEquals(Reason.LINK_RECENT, verdict.reason());
        assertFalse(verdict.sweep(), "appliances get a full timeout to report after the broker comes back");
        assertEquals("b1", verdict.bridgeId());
    }

    @Test
    void aLiveBridgeNotLinkedHoldsTheSweepBack() {
        LinkGrace.Verdict verdict = decide(bridge("b1", false, LONG_AGO, Duration.ofSeconds(2)));
        assertEquals(Reason.BRIDGE_UNLINKED, verdict.reason());
        assertFalse(verdict.sweep());
        assertEquals("b1", verdict.bridgeId());
    }

    @Test
    void everyLiveBridgeMustBeLinkedForATimeout() {
        BridgeStatus good = bridge("b1", true, LONG_AGO, Duration.ofSeconds(1));
        assertEquals(
                Reason.BRIDGE_UNLINKED,
                decide(good, bridge("b2", false, LONG_AGO, Duration.ofSeconds(1)))
                        .reason(),
                "a live member of the shared subscription that is not linked has its share of the reports waiting");
        assertEquals(
                Reason.LINK_RECENT,
                decide(good, bridge("b2", true, Duration.ofSeconds(10), Duration.ofSeconds(1)))
                        .reason());
        assertEquals(
                Reason.TRUSTED,
                decide(good, bridge("b2", true, LONG_AGO, Duration.ofSeconds(4)))
                        .reason());
    }

    @Test
    void aStaleBridgeDoesNotVoteWhileAnotherIsLive() {
        BridgeStatus live = bridge("b1", true, LONG_AGO, Duration.ofSeconds(1));
        // a crashed or retired instance that never said it stopped, unlinked in its last word or not
        BridgeStatus crashed = bridge("b2", false, LONG_AGO, FRESHNESS.plusSeconds(1));
        assertEquals(Reason.TRUSTED, decide(live, crashed).reason());
        assertEquals(Reason.TRUSTED, decide(crashed, live).reason());
        // and a stale one that said linked does not make a live unlinked one trusted
        assertEquals(
                Reason.BRIDGE_UNLINKED,
                decide(
                                bridge("b3", true, LONG_AGO, Duration.ofMinutes(1)),
                                bridge("b1", false, LONG_AGO, Duration.ZERO))
                        .reason());
    }

    @Test
    void aStoppedBridgeDoesNotVoteEvenWhenItsLastWordIsFresh() {
        BridgeStatus live = bridge("b1", true, LONG_AGO, Duration.ofSeconds(1));
        assertEquals(
                Reason.TRUSTED,
                decide(live, stopped("b2", Duration.ofSeconds(1))).reason());
        // every bridge stopped, said so: no live bridge and none vanished, so the sweep runs as without statuses
        LinkGrace.Verdict allStopped = decide(stopped("b1", Duration.ofSeconds(1)), stopped("b2", Duration.ofHours(1)));
        assertEquals(Reason.NO_BRIDGE_STATUS, allStopped.reason());
        assertTrue(allStopped.sweep());
    }

    @Test
    void noLiveBridgeButOneVanishedWithoutStoppingMeansThePlatformIsBlind() {
        BridgeStatus vanished = bridge("b1", true, LONG_AGO, FRESHNESS.plusSeconds(1));
        LinkGrace.Verdict verdict = decide(vanished, stopped("b2", Duration.ofSeconds(1)));
        assertEquals(Reason.NO_LIVE_BRIDGE, verdict.reason());
        assertFalse(verdict.sweep(), "crashed, cut off from Kafka, or this service lags: no report reaches it");
        assertEquals("b1", verdict.bridgeId());
        // the one heard most recently is named
        assertEquals(
                "b3",
                decide(vanished, bridge("b3", false, LONG_AGO, FRESHNESS.plusMillis(500)))
                        .bridgeId());
    }

    @Test
    void theBlindnessEndsAfterItsBound() {
        LinkGrace.Verdict almost = decide(bridge("b1", true, LONG_AGO, BLIND_FOR));
        assertEquals(Reason.NO_LIVE_BRIDGE, almost.reason());
        LinkGrace.Verdict over = decide(bridge("b1", true, LONG_AGO, BLIND_FOR.plusSeconds(1)));
        assertEquals(Reason.NO_BRIDGE_STATUS, over.reason());
        assertTrue(over.sweep(), "a bridge gone for longer than the bound holds nothing back any more");
    }

    /** A live bridge linked {@code linkedAgo} ago that reports the broker's client count. */
    private static BridgeStatus counting(Duration linkedAgo, Integer connected, Integer before, Duration roseAgo) {
        return new BridgeStatus(
                "b1",
                true,
                NOW.minus(linkedAgo),
                NOW.minus(Duration.ofSeconds(2)),
                false,
                new LinkGrace.Clients(connected, before, roseAgo == null ? null : NOW.minus(roseAgo)));
    }

    @Test
    void aFleetStillReconnectingAfterTheLinkCameBackHoldsTheSweepBack() {
        // the broker restarted 4 minutes ago: 3,000 of 10,000 back, the count rose 10 s ago
        LinkGrace.Verdict verdict = decide(counting(Duration.ofMinutes(4), 3_001, 10_001, Duration.ofSeconds(10)));
        assertEquals(Reason.CLIENTS_RECONNECTING, verdict.reason());
        assertFalse(verdict.sweep(), "the appliances still queued for a TLS handshake are not silent sites");
        assertEquals("b1", verdict.bridgeId());
        // without a count from before (the bridge started with the broker), a rise alone holds
        assertEquals(
                Reason.CLIENTS_RECONNECTING,
                decide(counting(Duration.ofMinutes(4), 3_001, null, Duration.ofSeconds(10)))
                        .reason());
        // the link itself is still recent: that reason first
        assertEquals(
                Reason.LINK_RECENT,
                decide(counting(Duration.ofSeconds(30), 3_001, 10_001, Duration.ofSeconds(1)))
                        .reason());
    }

    @Test
    void aCountThatStoodStillForATimeoutNoLongerHolds() {
        // 9,950 came back; the 50 others did not for a whole timeout: gone for reasons of their own
        assertTrue(
                decide(counting(Duration.ofMinutes(12), 9_951, 10_001, TIMEOUT)).sweep());
        assertEquals(
                Reason.CLIENTS_RECONNECTING,
                decide(counting(Duration.ofMinutes(12), 9_951, 10_001, TIMEOUT.minusSeconds(1)))
                        .reason());
        // never rose on this connection (a bridge restart with the fleet connected throughout)
        assertEquals(
                Reason.TRUSTED,
                decide(counting(Duration.ofMinutes(3), 10_001, 10_001, null)).reason());
    }

    @Test
    void aRiseAtTheOldSizeIsOrdinaryChurnNotAReconnection() {
        // back at (or above) the count before the link was lost: new appliances enrolling, not a storm
        assertEquals(
                Reason.TRUSTED,
                decide(counting(Duration.ofMinutes(5), 10_001, 10_001, Duration.ofSeconds(5)))
                        .reason());
        assertEquals(
                Reason.TRUSTED,
                decide(counting(Duration.ofMinutes(5), 10_050, 10_001, Duration.ofSeconds(5)))
                        .reason());
    }

    @Test
    void aRisingCountHoldsForAtMostTheBlindnessBoundAfterTheLinkCameBack() {
        assertEquals(
                Reason.CLIENTS_RECONNECTING,
                decide(counting(BLIND_FOR, 5_000, 10_001, Duration.ofSeconds(5)))
                        .reason());
        assertEquals(
                Reason.TRUSTED,
                decide(counting(BLIND_FOR.plusSeconds(1), 5_000, 10_001, Duration.ofSeconds(5)))
                        .reason(),
                "a broker that takes longer than the bound to get its fleet back: silence counts again");
    }

    @Test
    void anyLiveBridgeSeeingAReconnectionHoldsAndAStaleOneDoesNot() {
        BridgeStatus steady = bridge("b2", true, LONG_AGO, Duration.ofSeconds(1));
        BridgeStatus reconnecting = counting(Duration.ofMinutes(4), 3_001, 10_001, Duration.ofSeconds(10));
        assertEquals(Reason.CLIENTS_RECONNECTING, decide(steady, reconnecting).reason());
        BridgeStatus stale = new BridgeStatus(
                "b1",
                true,
                NOW.minus(Duration.ofMinutes(4)),
                NOW.minus(FRESHNESS.plusSeconds(1)),
                false,
                new LinkGrace.Clients(3_001, 10_001, NOW.minus(Duration.ofSeconds(20))));
        assertEquals(Reason.TRUSTED, decide(steady, stale).reason());
    }

    @Test
    void theMetricTagIsTheReasonInLowerCase() {
        assertEquals("clients_reconnecting", Reason.CLIENTS_RECONNECTING.metricTag());
        assertEquals("no_live_bridge", Reason.NO_LIVE_BRIDGE.metricTag());
        assertEquals("link_recent (bridge b1)", new LinkGrace.Verdict(Reason.LINK_RECENT, "b1").toString());
    }
}
