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
    private final LinkGrace grace = new LinkGrace(TIMEOUT, Duration.ofSeconds(15), Duration.ofMinutes(30));

    private static BridgeStatus bridge(String id, boolean linked, Duration sinceAgo, Duration reportedAgo) {
        return new BridgeStatus(id, linked, NOW.minus(sinceAgo), NOW.minus(reportedAgo));
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
    void aFreshBridgeLinkedForLongerThanTheTimeoutIsTrusted() {
        LinkGrace.Verdict verdict = decide(bridge("b1", true, Duration.ofHours(2), Duration.ofSeconds(3)));
        assertEquals(Reason.TRUSTED, verdict.reason());
        assertTrue(verdict.sweep());
        assertNull(verdict.bridgeId());
        // exactly one timeout up is enough
        assertTrue(decide(bridge("b1", true, TIMEOUT, Duration.ZERO)).sweep());
    }

    @Test
    void aLinkUpForLessThanTheTimeoutHoldsTheSweepBack() {
        LinkGrace.Verdict verdict = decide(bridge("b1", true, TIMEOUT.minusSeconds(1), Duration.ofSeconds(1)));
        assertEquals(Reason.LINK_RECENT, verdict.reason());
        assertFalse(verdict.sweep());
        assertEquals("b1", verdict.bridgeId());
    }

    @Test
    void aBridgeThatSaysItIsNotLinkedHoldsTheSweepBack() {
        LinkGrace.Verdict verdict = decide(bridge("b1", false, Duration.ofHours(1), Duration.ofSeconds(2)));
        assertEquals(Reason.BRIDGE_UNLINKED, verdict.reason());
        assertFalse(verdict.sweep());
    }

    @Test
    void aStaleStatusHoldsTheSweepBackEvenIfItSaidLinked() {
        LinkGrace.Verdict verdict = decide(bridge("b1", true, Duration.ofHours(1), Duration.ofSeconds(16)));
        assertEquals(Reason.BRIDGE_SILENT, verdict.reason());
        assertFalse(verdict.sweep());
        // the bound itself is still fresh
        assertTrue(decide(bridge("b1", true, Duration.ofHours(1), Duration.ofSeconds(15)))
                .sweep());
    }

    @Test
    void everyBridgeMustBeTrustedTheBrokerQueuesASilentOnesShareOfTheReports() {
        BridgeStatus good = bridge("b1", true, Duration.ofHours(1), Duration.ofSeconds(1));
        assertEquals(
                Reason.BRIDGE_SILENT,
                decide(good, bridge("b2", true, Duration.ofHours(1), Duration.ofMinutes(2)))
                        .reason());
        assertEquals(
                Reason.BRIDGE_UNLINKED,
                decide(good, bridge("b2", false, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                        .reason());
        LinkGrace.Verdict recent = decide(good, bridge("b2", true, Duration.ofSeconds(10), Duration.ofSeconds(1)));
        assertEquals(Reason.LINK_RECENT, recent.reason());
        assertEquals("b2", recent.bridgeId());
    }

    @Test
    void aBridgeSilentForTheForgetBoundNoLongerCounts() {
        BridgeStatus retired = bridge("old", true, Duration.ofDays(2), Duration.ofMinutes(31));
        assertEquals(
                Reason.TRUSTED,
                decide(bridge("b1", true, Duration.ofHours(1), Duration.ZERO), retired)
                        .reason(),
                "a retired instance does not hold the sweep back for ever");
        assertEquals(
                Reason.NO_BRIDGE_STATUS,
                decide(retired).reason(),
                "the grace of a platform outage ends: the sweep runs as without statuses");
        assertEquals(
                Reason.BRIDGE_SILENT,
                decide(bridge("b1", false, Duration.ofMinutes(29), Duration.ofMinutes(29)))
                        .reason(),
                "within the bound the outage still holds the sweep back");
    }
}
