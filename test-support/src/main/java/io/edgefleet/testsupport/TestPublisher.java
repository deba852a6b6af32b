package io.edgefleet.testsupport;

import io.edgefleet.events.KafkaAccess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Publishes records the way the service that owns each topic would: as that service's Kafka principal
 * ({@link KafkaAccess#writerOf}), so a test that stands in for another service still passes the broker's ACLs
 * rather than going around them as the super user.
 */
public final class TestPublisher implements AutoCloseable {

    private final KafkaBroker broker;
    private final Map<String, KafkaProducer<String, byte[]>> producers = new ConcurrentHashMap<>();

    public TestPublisher(KafkaBroker broker) {
        this.broker = broker;
    }

    /** For the test application's broker ({@link KafkaTestResource}). */
    public TestPublisher() {
        this(KafkaTestResource.broker());
    }

    /** Sends and waits for the broker's acknowledgement; returns where the record landed. */
    public RecordMetadata send(ProducerRecord<String, byte[]> record) {
        String principal = KafkaAccess.writerOf(record.topic());
        try {
            return producers
                    .computeIfAbsent(
                            principal,
                            p -> new KafkaProducer<>(
                                    broker.clientProperties(p), new StringSerializer(), new ByteArraySerializer()))
                    .send(record)
                    .get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "could not publish a test record on " + record.topic() + " as " + principal, e);
        }
    }

    @Override
    public void close() {
        producers.values().forEach(p -> p.close(Duration.ofSeconds(2)));
    }
}
