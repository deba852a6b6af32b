package io.edgefleet.kit.commands;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How far behind the gateways this service's {@code gateway-reports} consumer is: the age of the newest report it
 * applied (its Kafka timestamp, written by the edge bridge) at the moment it was applied. A report written within that
 * age may still be queued for us, so {@link CommandResender} counts a command's silence only from {@code now - lag}:
 * a backlog of our own is not a silent gateway (resending into it only lengthens it: every repeat is answered).
 * <p>
 * In this instance only: with several instances the resender's instance sees the lag of its own partitions.
 */
@ApplicationScoped
public class ReportBacklog {

    private record Measure(Duration lag, Instant at) {}

    private final AtomicReference<Measure> last = new AtomicReference<>(new Measure(Duration.ZERO, Instant.EPOCH));

    /** A report (or a batch's newest) written at {@code writtenAt} was applied now. */
    public void applied(Instant writtenAt) {
        if (!writtenAt.isAfter(Instant.EPOCH)) {
            return; // a record without a timestamp tells nothing
        }
        Instant now = Instant.now();
        Duration lag = Duration.between(writtenAt, now);
        last.set(new Measure(lag.isNegative() ? Duration.ZERO : lag, now));
    }

    /**
     * The lag as last measured, if measured within {@code recent} (an idle consumer is caught up: its last lag was
     * small; a measure older than that says nothing any more), else zero.
     */
    public Duration lag(Duration recent) {
        Measure m = last.get();
        return m.at().isAfter(Instant.now().minus(recent)) ? m.lag() : Duration.ZERO;
    }
}
