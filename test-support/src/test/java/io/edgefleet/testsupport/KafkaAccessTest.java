package io.edgefleet.testsupport;

import io.edgefleet.events.KafkaAccess;
import io.edgefleet.events.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker refuses what {@link KafkaAccess} does not grant: anonymous clients, wrong passwords, foreign topics and groups. */
class KafkaAccessTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void anAnonymousClientCannotCommandAnAppliance() {
        Map<String, Object> anonymous = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (var producer = producer(anonymous)) {
            assertThrows(
                    Exception.class,
                    () -> producer.send(new ProducerRecord<>(Topics.GATEWAY_COMMANDS, "hospital-1", "forged"))
                            .get(10, TimeUnit.SECONDS));
        }
        assertTrue(
                !read(Topics.GATEWAY_COMMANDS, Duration.ofSeconds(60)).contains("forged"),
                "the forged command never reached gateway-commands");
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (var producer =
                producer(KafkaBroker.scram(broker.bootstrapServers(), KafkaAccess.CLUSTER_SERVICE, "guessed"))) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(Topics.GATEWAY_COMMANDS, "hospital-1", "x"))
                            .get(10, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
    }

    @Test
    void eachPrincipalWritesOnlyItsOwnTopics() throws Exception {
        for (KafkaAccess access : KafkaAccess.PRINCIPALS) {
            try (var producer = producer(broker.clientProperties(access.principal()))) {
                for (String topic : KafkaAccess.TOPICS) {
                    var send = producer.send(new ProducerRecord<>(topic, "k", access.principal()));
                    if (access.writes().contains(topic)) {
                        send.get(20, TimeUnit.SECONDS);
                    } else {
                        ExecutionException e = assertThrows(
                                ExecutionException.class,
                                () -> send.get(20, TimeUnit.SECONDS),
                                access.principal() + " must not write " + topic);
                        assertInstanceOf(
                                TopicAuthorizationException.class, e.getCause(), access.principal() + " on " + topic);
                    }
                }
            }
        }
        // only the bridge wrote gateway-reports; only cluster-service and policy-service wrote gateway-commands
        assertEquals(List.of(KafkaAccess.EDGE_BRIDGE), read(Topics.GATEWAY_REPORTS, Duration.ofSeconds(60)));
        assertEquals(
                List.of(KafkaAccess.CLUSTER_SERVICE, KafkaAccess.POLICY_SERVICE),
                read(Topics.GATEWAY_COMMANDS, Duration.ofSeconds(60)).stream()
                        .sorted()
                        .toList());
    }

    @Test
    void noClientCreatesTopics() {
        try (var producer = producer(with(
                broker.clientProperties(KafkaAccess.CLUSTER_SERVICE),
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000)))) {
            assertThrows(
                    Exception.class,
                    () -> producer.send(new ProducerRecord<>("made-up-topic", "k", "v"))
                            .get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPrincipalReadsOnlyItsTopicsWithItsOwnGroups() {
        // policy-service does not read appliance-events
        try (var consumer = consumer(KafkaAccess.POLICY_SERVICE, KafkaAccess.POLICY_SERVICE)) {
            consumer.subscribe(List.of(Topics.APPLIANCE_EVENTS));
            assertThrows(TopicAuthorizationException.class, () -> pollFor(consumer, Duration.ofSeconds(20)));
        }
        // appliance-service may read gateway-reports, but not in cluster-service's group
        try (var consumer = consumer(KafkaAccess.APPLIANCE_SERVICE, KafkaAccess.CLUSTER_SERVICE)) {
            consumer.subscribe(List.of(Topics.GATEWAY_REPORTS));
            assertThrows(GroupAuthorizationException.class, () -> pollFor(consumer, Duration.ofSeconds(20)));
        }
        // the bridge reads gateway-commands in a group of its prefix
        try (var consumer = consumer(KafkaAccess.EDGE_BRIDGE, KafkaAccess.EDGE_BRIDGE + "-test")) {
            consumer.subscribe(List.of(Topics.GATEWAY_COMMANDS));
            pollFor(consumer, Duration.ofSeconds(3)); // no authorization error
        }
    }

    private static void pollFor(KafkaConsumer<String, String> consumer, Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
        }
    }

    private KafkaConsumer<String, String> consumer(String principal, String group) {
        return new KafkaConsumer<>(
                with(
                        broker.clientProperties(principal),
                        Map.of(
                                ConsumerConfig.GROUP_ID_CONFIG,
                                group,
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest")),
                new StringDeserializer(),
                new StringDeserializer());
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> settings) {
        return new KafkaProducer<>(
                with(
                        settings,
                        Map.of(
                                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                8000,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                8000,
                                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                4000)),
                new StringSerializer(),
                new StringSerializer());
    }

    /** Every value on {@code topic}, read as the super user. */
    /** Everything written to {@code topic} so far: read from the beginning up to its end offsets (no group to join). */
    private List<String> read(String topic, Duration timeout) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(
                broker.adminProperties(), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }

    private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> more) {
        return KafkaBrokerTest.with(base, more);
    }
}
