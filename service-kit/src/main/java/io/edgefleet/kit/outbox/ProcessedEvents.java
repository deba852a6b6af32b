package io.edgefleet.kit.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The inbox of an idempotent consumer. Call {@link #firstDelivery} inside the transaction that
 * handles the event: a redelivered event finds its id already recorded and is skipped, and a rolled
 * back handling leaves no record, so the redelivery is handled.
 */
@ApplicationScoped
public class ProcessedEvents {

    private static final Logger LOG = Logger.getLogger(ProcessedEvents.class);

    /** @return true when {@code consumer} has not handled {@code eventId} before (and records it now) */
    public Uni<Boolean> firstDelivery(String consumer, String eventId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "insert into processed_event (consumer, event_id, processed_at) values (:consumer, :id, now()) "
                                        + "on conflict do nothing")
                        .setParameter("consumer", consumer)
                        .setParameter("id", eventId)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /**
     * Handles an event once: records its id and applies {@code effect} in one transaction. A failure (database
     * away, a lock conflict) is retried with backoff for {@code retryFor}, then logged and given up, so one bad
     * event never blocks the partition.
     *
     * @param what names the event in the log line, e.g. "cluster event 1234 of cluster c0a1b2c3"
     */
    public Uni<Void> applyOnce(
            String consumer, String eventId, Supplier<Uni<Void>> effect, Duration retryFor, Supplier<String> what) {
        return Panache.withTransaction(() -> firstDelivery(consumer, eventId)
                        .chain(first -> first ? effect.get() : Uni.createFrom().voidItem()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                .expireIn(retryFor.toMillis())
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.errorf(e, "could not apply %s", what.get());
                    return null;
                });
    }
}
