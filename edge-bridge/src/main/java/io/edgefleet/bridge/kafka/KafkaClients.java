package io.edgefleet.bridge.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Plain Kafka clients configured from every {@code kafka.*} property (Quarkus' {@code default-kafka-broker} map, env
 * variables {@code KAFKA_*} included), so SASL and TLS settings are configuration only. Each client gets the bridge's
 * defaults below that configuration and the settings its correctness depends on above it.
 */
@ApplicationScoped
public class KafkaClients {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> config;

    /**
     * A consumer of CloudEvent records that commits only explicitly. Static group membership under {@code clientId}
     * (stable per instance): an instance that restarts after a crash gets its partitions back at once instead of
     * waiting for the group to time the dead member out (45 s).
     */
    public KafkaConsumer<String, byte[]> consumer(String groupId, String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, clientId);
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
        props.putAll(config);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** An idempotent producer that counts a record as sent only when every in-sync replica has it. */
    public KafkaProducer<String, byte[]> producer(String clientId) {
        Map<String, Object> props = new HashMap<>();
        // 1 ms, not the client's 5: a command's result waits for its record to leave, and a node operation is a
        // round trip; under load the records still travel in batches (those that gather while requests are in flight)
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
        props.putAll(config);
        dropConsumerSettings(props);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    public Admin admin(String clientId) {
        Map<String, Object> props = new HashMap<>(config);
        dropConsumerSettings(props);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(props);
    }

    /** The shared map may carry a group id (Quarkus adds the application name): producers and admins warn about it. */
    private static void dropConsumerSettings(Map<String, Object> props) {
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
        props.remove(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
    }
}
