package io.edgefleet.appliance.link;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether the heartbeat sweep may trust silence: when the edge broker restarts or the bridges are away, every
 * appliance's reports stop at once — the platform, not the sites, is blind — and none of them may turn UNREACHABLE for
 * it. Pure (no I/O), from the bridges' last link statuses. Only <em>live</em> bridges vote: a bridge is live when its
 * last status is fresh (within {@code freshness}) and is not its last word as it stopped.
 * <ol>
 *   <li>some bridge is live: sweep only if every live bridge is linked and has been linked for at least
 *       {@code timeout} (so every live appliance had a full heartbeat timeout to report after a reconnection, and its
 *       queued reports were read); a live bridge not linked ({@code bridge_unlinked}) or linked only recently
 *       ({@code link_recent}) holds the sweep back;</li>
 *   <li>and, every live bridge linked for a timeout: while the broker's connected-client count a live bridge reports
 *       still rose within the last {@code timeout} and is below what it was before the link was lost, the fleet is
 *       still reconnecting (a broker restart: at ~17 TLS handshakes/s, 10,000 appliances take ~10 minutes), so hold
 *       on ({@code clients_reconnecting}) — for at most {@code blindFor} after the link came up. Once the count stood
 *       still for a timeout, an appliance not back yet had a whole timeout to reconnect in a wave that no longer
 *       moves: it is gone for a reason of its own;</li>
 *   <li>no bridge is live, but one went stale without saying it stopped, less than {@code blindFor} ago: the bridges
 *       crashed, their path to Kafka is cut, or this service lags behind on gateway-reports — in every case the reports
 *       are not reaching this service, so skip ({@code no_live_bridge});</li>
 *   <li>otherwise (no status ever, an old bridge without link status, bridges that all said they stopped, or a
 *       blindness longer than {@code blindFor}): sweep as without link statuses ({@code no_bridge_status}).</li>
 * </ol>
 * A stale bridge does not vote while another one is live: a crashed or retired instance must not hold the sweep back
 * while the link works through the others.
 */
public final class LinkGrace {

    /**
     * A bridge's last status: linked or not since {@code since}, sent at {@code reportedAt} (bridge clock), and the
     * broker's connected-client count it saw.
     */
    public record BridgeStatus(
            String bridgeId, boolean linked, Instant since, Instant reportedAt, boolean stopped, Clients clients) {

        /** A status without a client count (an older bridge). */
        public BridgeStatus(String bridgeId, boolean linked, Instant since, Instant reportedAt, boolean stopped) {
            this(bridgeId, linked, since, reportedAt, stopped, Clients.UNKNOWN);
        }
    }

    /**
     * The broker's connected-client count as a bridge saw it (each may be null: not reported).
     *
     * @param connected the count on the bridge's current connection
     * @param before    the last count before that connection began: the fleet before the link was lost
     * @param roseAt    when the count last reached a new high on the current connection (bridge clock)
     */
    public record Clients(Integer connected, Integer before, Instant roseAt) {
        public static final Clients UNKNOWN = new Clients(null, null, null);

        /**
         * Still reconnecting: the count rose less than {@code window} ago and has not reached what it was before
         * (unknown before: a rise alone). Back at the old size, a rise is the fleet's ordinary churn or growth.
         */
        boolean reconnecting(Instant now, Duration window) {
            boolean rising = roseAt != null && roseAt.isAfter(now.minus(window));
            boolean belowBefore = before == null || connected == null || connected < before;
            return rising && belowBefore;
        }
    }

    /** Why the sweep runs or not; {@link #metricTag} is a bounded word for metrics. */
    public enum Reason {
        TRUSTED(true),
        NO_BRIDGE_STATUS(true),
        NO_LIVE_BRIDGE(false),
        BRIDGE_UNLINKED(false),
        LINK_RECENT(false),
        CLIENTS_RECONNECTING(false);

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
    private final Duration blindFor;

    /**
     * @param timeout   the heartbeat timeout: how long every live bridge must have been linked
     * @param freshness how old a bridge's last status may be for it to be live (a few of its report intervals)
     * @param blindFor  how long after the last live bridge went stale without stopping the sweep stays held back, and
     *                  how long after a bridge linked again a still rising client count may hold it back
     */
    public LinkGrace(Duration timeout, Duration freshness, Duration blindFor) {
        this.timeout = timeout;
        this.freshness = freshness;
        this.blindFor = blindFor;
    }

    public Verdict decide(List<BridgeStatus> bridges, Instant now) {
        Instant freshSince = now.minus(freshness);
        List<BridgeStatus> live = bridges.stream()
                .filter(b -> !b.stopped() && !b.reportedAt().isBefore(freshSince))
                .toList();
        if (live.isEmpty()) {
            Optional<BridgeStatus> vanished = bridges.stream()
                    .filter(b -> !b.stopped() && !b.reportedAt().isBefore(now.minus(blindFor)))
                    .max(Comparator.comparing(BridgeStatus::reportedAt));
            return vanished.map(b -> new Verdict(Reason.NO_LIVE_BRIDGE, b.bridgeId()))
                    .orElseGet(() -> new Verdict(Reason.NO_BRIDGE_STATUS, null));
        }
        Optional<BridgeStatus> unlinked = live.stream().filter(b -> !b.linked()).findFirst();
        if (unlinked.isPresent()) {
            return new Verdict(Reason.BRIDGE_UNLINKED, unlinked.get().bridgeId());
        }
        Optional<BridgeStatus> recent =
                live.stream().filter(b -> b.since().isAfter(now.minus(timeout))).findFirst();
        if (recent.isPresent()) {
            return new Verdict(Reason.LINK_RECENT, recent.get().bridgeId());
        }
        Optional<BridgeStatus> reconnecting = live.stream()
                .filter(b -> !b.since().isBefore(now.minus(blindFor)))
                .filter(b -> b.clients().reconnecting(now, timeout))
                .findFirst();
        if (reconnecting.isPresent()) {
            return new Verdict(Reason.CLIENTS_RECONNECTING, reconnecting.get().bridgeId());
        }
        return new Verdict(Reason.TRUSTED, null);
    }
}
