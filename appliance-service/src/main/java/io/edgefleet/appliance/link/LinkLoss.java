package io.edgefleet.appliance.link;

import io.edgefleet.events.payload.ApplianceStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a gateway's link-lost will ({@code edgefleet.gateway.link-lost.v1}) does to its appliance. Pure (no I/O).
 * <p>
 * The broker publishes the will only when a connection ended without a DISCONNECT and its session was not resumed
 * within the will delay — far sooner than a heartbeat timeout. But it may be stale: it carries the time its connection
 * <em>began</em>, so a report of a later connection (its {@code connectedAt} newer) or a report after it in the same
 * poll makes it stale. And it may be the platform's failure, not the site's: Mosquitto 2.0.11 publishes the wills of
 * <em>every</em> connected client at once, delay or not, when it stops (measured, appliance-service README), and the
 * bridge may relay them before it notices its own link is gone. So a will is only <em>recorded</em>
 * ({@link #onWill}); the heartbeat sweep turns the appliance UNREACHABLE a settle time later, and only while the edge
 * link is trusted ({@link LinkGrace}) and no later connection reported ({@link #stillLost}) — by then a broker stop has
 * shown in the bridges' link statuses, and the reconnecting fleet's reports have made its wills stale.
 */
public final class LinkLoss {

    private LinkLoss() {}

    public enum OnWill {
        /** READY and this connection is the newest known: recorded, for the sweep. */
        RECORDED,
        /** A report of a later connection came first: the gateway is back. */
        NEWER_CONNECTION,
        /** Not READY (unregistered, unpaired or already UNREACHABLE): nothing to record. */
        NOT_READY
    }

    /**
     * @param status        the appliance's status (null: no registered appliance)
     * @param connectedAt   the appliance's newest connection start its reports gave (null: none given)
     * @param willConnected the start of the connection the will is about
     */
    public static OnWill onWill(ApplianceStatus status, Instant connectedAt, Instant willConnected) {
        if (status != ApplianceStatus.READY) {
            return OnWill.NOT_READY;
        }
        return stillLost(connectedAt, willConnected) ? OnWill.RECORDED : OnWill.NEWER_CONNECTION;
    }

    /**
     * Whether the recorded loss of connection {@code lostConnection} still stands: no report of a later connection came
     * ({@code connectedAt}: the newest connection start the reports gave; null: none).
     */
    public static boolean stillLost(Instant connectedAt, Instant lostConnection) {
        return lostConnection != null && (connectedAt == null || !connectedAt.isAfter(lostConnection));
    }

    /**
     * The events of a poll (in poll order: per appliance in Kafka offset order) without the wills that a later report of
     * the same appliance in the same poll overtook: one from the gateway back on the link ({@code overtakes}: a report of
     * a later connection, or one that does not say which).
     *
     * @param overtakes whether {@code later} (a report after {@code will}, same appliance) makes {@code will} stale
     */
    public static <E> List<E> withoutOvertakenWills(
            List<E> events, Function<E, String> appliance, Predicate<E> isWill, BiPredicate<E, E> overtakes) {
        List<E> kept = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            E event = events.get(i);
            if (!isWill.test(event) || !overtaken(events, i, appliance, isWill, overtakes)) {
                kept.add(event);
            }
        }
        return kept;
    }

    private static <E> boolean overtaken(
            List<E> events, int will, Function<E, String> appliance, Predicate<E> isWill, BiPredicate<E, E> overtakes) {
        String key = appliance.apply(events.get(will));
        for (int j = will + 1; j < events.size(); j++) {
            E later = events.get(j);
            if (!isWill.test(later) && key.equals(appliance.apply(later)) && overtakes.test(later, events.get(will))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a report of connection {@code reportConnected} (null: it does not say) overtakes a will of {@code willConnected}. */
    public static boolean overtakes(Instant reportConnected, Instant willConnected) {
        return reportConnected == null || willConnected == null || reportConnected.isAfter(willConnected);
    }
}
