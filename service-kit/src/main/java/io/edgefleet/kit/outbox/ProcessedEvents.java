package io.edgefleet.kit.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
     * The batch form of {@link #firstDelivery}: records every id in one statement (inside the caller's transaction).
     *
     * @return the ids {@code consumer} had not handled before
     */
    @SuppressWarnings("unchecked")
    public Uni<Set<String>> firstDeliveries(String consumer, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(eventIds));
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            values.append(i == 0 ? "" : ", ").append("(:id").append(i).append(')');
        }
        // a statement that starts with "with" is read as a query, so the inserted ids come back as rows
        String sql = "with inserted as (insert into processed_event (consumer, event_id, processed_at) "
                + "select :consumer, v.id, now() from (values " + values + ") as v(id) "
                + "on conflict do nothing returning event_id) select event_id from inserted";
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql).setParameter("consumer", consumer);
            for (int i = 0; i < ids.size(); i++) {
                query.setParameter("id" + i, ids.get(i));
            }
            return query.getResultList().map(rows -> new HashSet<>((List<String>) (List<?>) rows));
        });
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
