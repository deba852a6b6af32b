package io.edgefleet.kit.messaging;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.kit.outbox.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one way every consumer takes a record, so each {@code @Incoming} method is a thin adapter in front of its
 * handler (as in Debezium's outbox example): the CloudEvent is read from the record, the consumer's
 * {@link Handling} names the effect — or null when the event is not its concern — and the effect is applied once
 * ({@link ProcessedEvents}: in the effect's transaction, retried for {@code retryFor}). A record that is not a
 * valid event, or whose payload does not fit, is skipped with a warning that says where it lies: it can never
 * become valid, and one bad record must not hold up its partition.
 */
@ApplicationScoped
public class InboundEvents {

    private static final Logger LOG = Logger.getLogger(InboundEvents.class);

    /** What an event does in this consumer. */
    @FunctionalInterface
    public interface Handling {
        /**
         * @return the effect (run once, inside the inbox transaction), or null: not this consumer's concern
         * @throws InvalidEventException when the event is malformed for this consumer (it is skipped)
         */
        Supplier<Uni<Void>> of(CloudEvent event);
    }

    @Inject
    ProcessedEvents processed;

    /** @param consumer the inbox name, e.g. {@code "cluster-service/profile-events"} */
    public Uni<Void> handle(
            String consumer, ConsumerRecord<String, byte[]> record, Duration retryFor, Handling handling) {
        CloudEvent event;
        Supplier<Uni<Void>> effect;
        try {
            event = KafkaCloudEvents.fromRecord(record);
            effect = handling.of(event);
        } catch (InvalidEventException e) {
            LOG.warnf(
                    "%s: skipping malformed record %s-%d@%d: %s",
                    consumer, record.topic(), record.partition(), record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (effect == null) {
            return Uni.createFrom().voidItem();
        }
        return processed.applyOnce(
                consumer,
                event.id(),
                effect,
                retryFor,
                () -> String.format(
                        "%s %s about '%s' of tenant %s", event.type(), event.id(), event.subject(), event.tenant()));
    }
}
