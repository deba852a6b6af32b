package io.edgefleet.kit.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Supplier;

/**
 * The inbox of an idempotent consumer. Call {@link #firstDelivery} inside the transaction that
 * handles the event: a redelivered event finds its id already recorded and is skipped, and a rolled
 * back handling leaves no record, so the redelivery is handled.
 */
@ApplicationScoped
public class ProcessedEvents {

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
     * Handles an event once: records its id and applies {@code effect} in one transaction (one attempt; the caller,
     * {@code InboundEvents}, retries a failure).
     *
     * @return true when the effect was applied now, false when the event had been handled before
     */
    public Uni<Boolean> applyOnce(String consumer, String eventId, Supplier<Uni<Void>> effect) {
        return Panache.withTransaction(() -> firstDelivery(consumer, eventId)
                .chain(first -> first
                        ? effect.get().replaceWith(true)
                        : Uni.createFrom().item(false)));
    }
}
