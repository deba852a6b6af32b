package io.edgefleet.appliance.link;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether the heartbeat sweep may trust silence: when the edge broker restarts or a bridge is away, every appliance's
 * reports stop at once — the platform, not the sites, is blind — and none of them may turn UNREACHABLE for it. Pure
 * (no I/O), from the bridges' last link statuses:
 * <ol>
 *   <li>a bridge not heard of for {@code forgetAfter} is left out (a retired instance, or one away so long that the
 *       grace is over);</li>
 *   <li>none left (no bridge ever reported: a bridge without link status, an old deployment): sweep as before;</li>
 *   <li>a bridge whose last status is older than {@code freshness} (bridge or Kafka path away, or this service lags
 *       behind on gateway-reports): skip — a silent instance also has its share of the reports queued at the broker
 *       (Mosquitto queues an offline member's share of a shared subscription);</li>
 *   <li>a bridge that says it is not linked: skip;</li>
 *   <li>a bridge linked for less than {@code timeout}: skip, so every live appliance has had a full heartbeat
 *       timeout to report after the reconnection (and its queued reports to be read);</li>
 *   <li>otherwise: sweep.</li>
 * </ol>
 */
public final class LinkGrace {

    /** A bridge's last status: linked or not since {@code since}, sent at {@code reportedAt} (bridge clock). */
    public record BridgeStatus(String bridgeId, boolean linked, Instant since, Instant reportedAt) {}

    /** Why the sweep runs or not; {@link #metricTag} is a bounded word for metrics. */
    public enum Reason {
        TRUSTED(true),
        NO_BRIDGE_STATUS(true),
        BRIDGE_SILENT(false),
        BRIDGE_UNLINKED(false),
        LINK_RECENT(false);

        private final boolean sweep;

        Reason(boolean sweep) {
            this.sweep = sweep;
        }

        public String metricTag() {
            return name().toLowerCase();
        }
    }

    /** @param bridgeId the bridge that decided it (null for TRUSTED and NO_BRIDGE_STATUS) */
    public record Verdict(Reason reason, String bridgeId) {
        public boolean sweep() {
            return reason.sweep;
        }

        @Override
        public String toString() {
            return reason.metricTag() + (bridgeId == null ? "" : " (bridge " + bridgeId + ")");
        }
    }

    private final Duration timeout;
    private final Duration freshness;
    private final Duration forgetAfter;

    /**
     * @param timeout     the heartbeat timeout: how long the link must have been up
     * @param freshness   how old a bridge's last status may be (a few of its report intervals)
     * @param forgetAfter after how long without a status a bridge no longer counts
     */
    public LinkGrace(Duration timeout, Duration freshness, Duration forgetAfter) {
        this.timeout = timeout;
        this.freshness = freshness;
        this.forgetAfter = forgetAfter;
    }

    public Verdict decide(List<BridgeStatus> bridges, Instant now) {
        List<BridgeStatus> known = bridges.stream()
                .filter(b -> !b.reportedAt().isBefore(now.minus(forgetAfter)))
                .toList();
        if (known.isEmpty()) {
            return new Verdict(Reason.NO_BRIDGE_STATUS, null);
        }
        Optional<BridgeStatus> silent = known.stream()
                .filter(b -> b.reportedAt().isBefore(now.minus(freshness)))
                .findFirst();
        if (silent.isPresent()) {
            return new Verdict(Reason.BRIDGE_SILENT, silent.get().bridgeId());
        }
        Optional<BridgeStatus> unlinked =
                known.stream().filter(b -> !b.linked()).findFirst();
        if (unlinked.isPresent()) {
            return new Verdict(Reason.BRIDGE_UNLINKED, unlinked.get().bridgeId());
        }
        Optional<BridgeStatus> recent = known.stream()
                .filter(b -> b.since().isAfter(now.minus(timeout)))
                .findFirst();
        if (recent.isPresent()) {
            return new Verdict(Reason.LINK_RECENT, recent.get().bridgeId());
        }
        return new Verdict(Reason.TRUSTED, null);
    }
}
