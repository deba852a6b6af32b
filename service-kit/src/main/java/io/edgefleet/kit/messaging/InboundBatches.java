package io.edgefleet.kit.messaging;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.kit.outbox.ProcessedEvents;
import io.edgefleet.tracing.Traces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link InboundEvents} for a whole poll at once, for a topic whose volume one transaction per event cannot carry
 * (heartbeats of a large fleet): the poll's events are checked as {@link InboundEvents} checks one (malformed ones
 * to dead-letters, others' concerns ignored), then recorded in the inbox and applied in <em>one</em> transaction.
 * <p>
 * The guarantees are {@link InboundEvents}'s: a transient failure retries the whole batch until it works (nothing
 * after it is taken meanwhile; the batch is acknowledged only once applied); an event the database can never take
 * (its data refused) fails the batch for good, and the batch is then taken again one event at a time through
 * {@link InboundEvents}, which dead-letters only that event.
 */
@ApplicationScoped
public class InboundBatches {

    private static final Logger LOG = Logger.getLogger(InboundBatches.class);
    /** OpenTelemetry keeps at most 128 links per span by default; more would be dropped silently. */
    private static final int MAX_LINKS = 128;

    /** What a batch of this consumer's events does, inside the transaction that records them as handled. */
    @FunctionalInterface
    public interface BatchEffect {
        /** @param events the events not handled before, in the order of the poll (per partition: as written) */
        Uni<Void> apply(List<CloudEvent> events);
    }

    @Inject
    InboundEvents inbound;

    @Inject
    ProcessedEvents processed;

    @Inject
    Tracer tracer;

    /**
     * @param handling as for {@link InboundEvents#handle}: which events concern this consumer (a non-null effect),
     *                 and the effect of one event when the batch is taken one at a time
     * @param batch    the effect of all of them at once
     */
    public Uni<Void> handle(
            String consumer,
            List<ConsumerRecord<String, byte[]>> records,
            InboundEvents.Handling handling,
            BatchEffect batch) {
        List<CloudEvent> concerning = new ArrayList<>();
        List<Uni<Void>> deadLetters = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                CloudEvent event = KafkaCloudEvents.fromRecord(record);
                if (handling.of(event) == null) {
                    inbound.count(consumer, "ignored");
                } else {
                    concerning.add(event);
                }
            } catch (InvalidEventException e) {
                deadLetters.add(inbound.deadLetter(consumer, record, e.getMessage()));
            }
        }
        Uni<Void> lettered = deadLetters.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(deadLetters).andFailFast().replaceWithVoid();
        if (concerning.isEmpty()) {
            return lettered;
        }
        return lettered.chain(() -> applyAll(consumer, records, concerning, handling, batch));
    }

    private Uni<Void> applyAll(
            String consumer,
            List<ConsumerRecord<String, byte[]>> records,
            List<CloudEvent> events,
            InboundEvents.Handling handling,
            BatchEffect batch) {
        InboundEvents.Attempts attempts = inbound.attempts(
                consumer,
                "a batch of " + events.size() + " events from " + records.get(0).topic());
        Span span = batchSpan(consumer, records.get(0).topic(), events);
        return Uni.createFrom()
                .deferred(() -> Panache.withTransaction(() -> processed
                        .firstDeliveries(
                                consumer, events.stream().map(CloudEvent::id).toList())
                        .chain(first -> {
                            List<CloudEvent> fresh = firstOnce(events, first);
                            return batch.apply(fresh).replaceWith(fresh.size());
                        })))
                .plug(attempt -> inbound.untilApplied(attempt, attempts))
                .onItem()
                .invoke(applied -> {
                    inbound.count(consumer, "applied", applied);
                    inbound.count(consumer, "duplicate", events.size() - applied);
                    span.setAttribute("edgefleet.applied", applied);
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(e -> {
                    // one event the database refuses fails the whole batch: take it one event at a time, so that
                    // only that one is dead-lettered
                    LOG.warnf(
                            "%s: a batch of %d events failed for good (%s); taking them one at a time",
                            consumer, events.size(), InboundEvents.whyNever(e));
                    span.setStatus(StatusCode.ERROR, "taken one at a time");
                    return oneAtATime(consumer, records, handling);
                })
                .onTermination()
                .invoke(span::end);
    }

    /** Each event once, in poll order, if the inbox had not seen it (a batch may hold a re-sent event twice). */
    private static List<CloudEvent> firstOnce(List<CloudEvent> events, Set<String> firstDeliveries) {
        Set<String> taken = new HashSet<>();
        List<CloudEvent> fresh = new ArrayList<>();
        for (CloudEvent event : events) {
            if (firstDeliveries.contains(event.id()) && taken.add(event.id())) {
                fresh.add(event);
            }
        }
        return fresh;
    }

    private Uni<Void> oneAtATime(
            String consumer, List<ConsumerRecord<String, byte[]>> records, InboundEvents.Handling handling) {
        return Multi.createFrom()
                .iterable(records)
                .onItem()
                .transformToUniAndConcatenate(record -> inbound.handle(consumer, record, handling))
                .collect()
                .last()
                .replaceWithVoid();
    }

    /** One span for the batch, linked to each event's trace (a batch has many parents: none of them is its parent). */
    private Span batchSpan(String consumer, String topic, List<CloudEvent> events) {
        SpanBuilder builder = tracer.spanBuilder("handle batch " + topic)
                .setNoParent()
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.consumer.group.name", consumer)
                .setAttribute("messaging.batch.message_count", events.size());
        events.stream()
                .limit(MAX_LINKS)
                .map(event -> Span.fromContext(Traces.parent(event.trace())).getSpanContext())
                .filter(SpanContext::isValid)
                .forEach(builder::addLink);
        return builder.startSpan();
    }
}
