package io.edgefleet.bridge.support;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.testsupport.KafkaTestResource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the services do on Kafka (produce events), and a look at consumer group offsets. */
public final class TestKafka {

    private static KafkaProducer<String, byte[]> producer;

    private TestKafka() {
    }

    public static String bootstrap() {
        return KafkaTestResource.broker().bootstrapServers();
    }

    public static RecordMetadata send(String topic, String key, CloudEvent event) throws Exception {
        return send(KafkaCloudEvents.toRecord(topic, key, event));
    }

    public static synchronized RecordMetadata send(ProducerRecord<String, byte[]> record) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        }
        return producer.send(record).get(30, TimeUnit.SECONDS);
    }

    /** The committed offset of {@code group} in that partition, -1 when none. */
    public static long committed(String group, TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }
}
