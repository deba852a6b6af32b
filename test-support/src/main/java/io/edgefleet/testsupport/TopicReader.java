package io.edgefleet.testsupport;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * An independent Kafka consumer (its own group, from the beginning of the topic) that collects the
 * CloudEvents on a topic the way an idempotent subscriber sees them: a redelivered event (same id)
 * counts once. {@link #all} shows every record, duplicates included.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new ArrayList<>();
    private final List<Received> distinct = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    /** Reads {@code topic} of the test application's broker ({@link KafkaTestResource}) as the super user. */
    public TopicReader(String topic) {
        this(KafkaTestResource.broker().adminProperties(), topic);
    }

    /** @param clientProperties bootstrap servers and login (e.g. {@link KafkaBroker#adminProperties()}) */
    public TopicReader(Map<String, Object> clientProperties, String topic) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** A record as read: its key and the CloudEvent it carries. */
    public record Received(String key, CloudEvent event) {}

    /** Polls until {@code count} events matching {@code filter} were seen, or the timeout passes; returns them all. */
    public List<Received> await(Predicate<Received> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (matching(filter).size() < count && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        return matching(filter);
    }

    /** Reads for a while longer, to catch events that should not come. */
    public List<Received> settle(Predicate<Received> filter, Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        return matching(filter);
    }

    /** Every record read so far that matches, redeliveries included. */
    public List<Received> all(Predicate<Received> filter) {
        return received.stream().filter(filter).toList();
    }

    private void poll(Duration timeout) {
        consumer.poll(timeout).forEach(r -> {
            CloudEvent event;
            try {
                event = KafkaCloudEvents.fromRecord(r);
            } catch (InvalidEventException e) { // other tests put garbage on the topics on purpose: not an event
                return;
            }
            Received record = new Received(r.key(), event);
            received.add(record);
            if (ids.add(record.event().id())) {
                distinct.add(record);
            }
        });
    }

    private List<Received> matching(Predicate<Received> filter) {
        return distinct.stream().filter(filter).toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
