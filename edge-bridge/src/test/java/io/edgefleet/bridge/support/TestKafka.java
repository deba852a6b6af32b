package io.edgefleet.bridge.support;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.TestPublisher;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.concurrent.TimeUnit;

/** What the services do on Kafka (produce events, each as the principal that owns the topic), and a look at offsets. */
public final class TestKafka {

    private static TestPublisher producer;

    private TestKafka() {}

    public static String bootstrap() {
        return KafkaTestResource.broker().bootstrapServers();
    }

    public static RecordMetadata send(String topic, String key, CloudEvent event) {
        return send(KafkaCloudEvents.toRecord(topic, key, event));
    }

    public static synchronized RecordMetadata send(ProducerRecord<String, byte[]> record) {
        if (producer == null) {
            producer = new TestPublisher();
        }
        return producer.send(record);
    }

    /** The committed offset of {@code group} in that partition, -1 when none. */
    public static long committed(String group, TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(KafkaTestResource.broker().adminProperties())) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)
                    .get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }
}
