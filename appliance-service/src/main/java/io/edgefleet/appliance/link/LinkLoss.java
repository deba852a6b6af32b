package io.edgefleet.appliance.link;

import io.edgefleet.events.payload.ApplianceStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a gateway's link-lost will ({@code edgefleet.gateway.link-lost.v1}) does to its appliance. Pure (no I/O).
 * <p>
 * The broker publishes the will only when a connection ended without a DISCONNECT and its session was not resumed
 * within the will delay, so it is cheaper and faster than waiting a heartbeat timeout — but it may come late or out of
 * turn: it carries the time its connection <em>began</em>, so a report of a later connection (its {@code connectedAt}
 * newer) or a report after it in the same poll makes it stale. And like the heartbeat sweep it counts only while the
 * edge link is trusted ({@link LinkGrace}): after a broker restart a broker may publish the wills of every persisted
 * session, while the whole fleet is only reconnecting.
 */
public final class LinkLoss {

    private LinkLoss() {}

    public enum Outcome {
        /** READY, this connection is the newest known, the link is trusted: UNREACHABLE now. */
        UNREACHABLE,
        /** A report of a later connection came first: the gateway is back. */
        NEWER_CONNECTION,
        /** Not READY (unregistered, unpaired or already UNREACHABLE): nothing to change. */
        NOT_READY,
        /** The edge link is not trusted (a broker restart, the bridges away): left to the heartbeat sweep. */
        LINK_NOT_TRUSTED
    }

    /**
     * @param status        the appliance's status (null: no registered appliance)
     * @param connectedAt   the appliance's newest connection start its reports gave (null: none given)
     * @param willConnected the start of the connection the will is about
     * @param verdict       whether the edge link is trusted now
     */
    public static Outcome decide(
            ApplianceStatus status, Instant connectedAt, Instant willConnected, LinkGrace.Verdict verdict) {
        if (status != ApplianceStatus.READY) {
            return Outcome.NOT_READY;
        }
        if (connectedAt != null && willConnected != null && connectedAt.isAfter(willConnected)) {
            return Outcome.NEWER_CONNECTION;
        }
        if (!verdict.sweep()) {
            return Outcome.LINK_NOT_TRUSTED;
        }
        return Outcome.UNREACHABLE;
    }

    /**
     * The events of a poll (in poll order: per appliance in Kafka offset order) without the wills that a later event of
     * the same appliance in the same poll overtook: a report after a will comes from the gateway back on the link.
     */
    public static <E> List<E> withoutOvertakenWills(
            List<E> events, Function<E, String> appliance, Predicate<E> isWill) {
        Set<String> laterSeen = new HashSet<>();
        List<E> kept = new ArrayList<>(events.size());
        for (int i = events.size() - 1; i >= 0; i--) {
            E event = events.get(i);
            String key = appliance.apply(event);
            boolean overtaken = isWill.test(event) && laterSeen.contains(key);
            laterSeen.add(key);
            if (!overtaken) {
                kept.add(event);
            }
        }
        Collections.reverse(kept);
        return kept;
    }
}
