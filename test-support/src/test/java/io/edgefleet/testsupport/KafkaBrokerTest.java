package io.edgefleet.testsupport;

import io.edgefleet.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KafkaBrokerTest {

    private static final String T = Topics.CLUSTER_EVENTS;

    static Map<String, Object> with(Map<String, Object> base, Map<String, Object> more) {
        Map<String, Object> all = new HashMap<>(base);
        all.putAll(more);
        return all;
    }

    @Test
    void keepsItsPortAndDataAcrossAPause() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start();
                var producer = new KafkaProducer<String, String>(
                        with(
                                broker.clientProperties("cluster-service"),
                                Map.of(
                                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000,
                                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3000,
                                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000)),
                        new StringSerializer(),
                        new StringSerializer())) {
            String bootstrap = broker.bootstrapServers();
            producer.send(new ProducerRecord<>(T, "k", "before")).get(10, TimeUnit.SECONDS);

            broker.pause();
            assertThrows(
                    ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(T, "k", "lost")).get(10, TimeUnit.SECONDS));
            broker.resume();
            assertEquals(bootstrap, broker.bootstrapServers());
            producer.send(new ProducerRecord<>(T, "k", "after")).get(30, TimeUnit.SECONDS);

            try (var consumer = new KafkaConsumer<String, String>(
                    with(
                            broker.adminProperties(),
                            Map.of(
                                    ConsumerConfig.GROUP_ID_CONFIG, "check",
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                    new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of(T));
                List<String> seen = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 20_000;
                while (seen.size() < 2 && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                }
                assertEquals(List.of("before", "after"), seen);
            }
        }
    }
}
