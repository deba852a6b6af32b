package io.edgefleet.kit.messaging;

import io.edgefleet.events.Topics;
import io.edgefleet.kit.outbox.KafkaSettings;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Moves a record a consumer cannot read to {@code dead-letters}: key and value unchanged, the original headers kept,
 * the reason and the record's origin added (AsyncAPI channel {@code dead-letters}). The consumer commits the record only
 * after the broker acknowledged its dead letter, so a malformed record is set aside, never silently dropped.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "dlq_reason";
    public static final String CONSUMER = "dlq_consumer";
    public static final String TOPIC = "dlq_topic";
    public static final String PARTITION = "dlq_partition";
    public static final String OFFSET = "dlq_offset";

    @Inject
    Config appConfig;

    private Producer<String, byte[]> producer;

    /** Completes when the broker has the dead letter; fails when it cannot be written (the caller retries). */
    public Uni<Void> send(String consumer, ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> letter =
                new ProducerRecord<>(Topics.DEAD_LETTERS, null, record.key(), record.value());
        for (Header header : record.headers()) {
            letter.headers().add(header);
        }
        letter.headers()
                .add(REASON, bytes(reason))
                .add(CONSUMER, bytes(consumer))
                .add(TOPIC, bytes(record.topic()))
                .add(PARTITION, bytes(Integer.toString(record.partition())))
                .add(OFFSET, bytes(Long.toString(record.offset())));
        // send() may block for the topic's metadata: never on the event loop
        return Uni.createFrom()
                .<Void>emitter(done -> producer().send(letter, (metadata, failure) -> {
                    if (failure == null) {
                        done.complete(null);
                    } else {
                        done.fail(failure);
                    }
                }))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> settings = KafkaSettings.of(appConfig);
            settings.putAll(Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG,
                    "dead-letters-"
                            + appConfig
                                    .getOptionalValue("quarkus.application.name", String.class)
                                    .orElse("service"),
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG,
                    10_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    10_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    30_000));
            producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private static byte[] bytes(String value) {
        return (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
    }
}
