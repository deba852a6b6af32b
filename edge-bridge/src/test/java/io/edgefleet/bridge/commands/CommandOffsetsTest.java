package io.edgefleet.bridge.commands;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgefleet.bridge.mqtt.MqttConnection;
import io.edgefleet.bridge.support.EdgeLinkTestResource;
import io.edgefleet.bridge.support.TestDevice;
import io.edgefleet.bridge.support.TestEvents;
import io.edgefleet.bridge.support.TestInfrastructure;
import io.edgefleet.bridge.support.TestKafka;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.MqttCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.testsupport.MosquittoBroker;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

import static io.edgefleet.bridge.support.TestDevice.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The bridge commits a command's offset only after the broker's PUBACK: what the broker did not take is sent again. */
@QuarkusTest
@TestInfrastructure
class CommandOffsetsTest {

    private static final String GROUP = "edge-bridge";

    @Inject
    MqttConnection mqtt;

    @Test
    void aCommandSentWhileTheBrokerIsDownIsDeliveredAfterItIsBack() throws Exception {
        MosquittoBroker broker = EdgeLinkTestResource.broker();
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        TestDevice device = TestDevice.enrolled(tenant, uid).online();
        device.disconnect();
        await().atMost(Duration.ofSeconds(30)).until(() -> mqtt.ready());
        CloudEvent command = TestEvents.command(tenant, uid, Instant.now().plusSeconds(600));
        try {
            broker.stop(); // a clean stop: the device's session is saved
            await().atMost(Duration.ofSeconds(30)).until(() -> !mqtt.connected());
            RecordMetadata sent = TestKafka.send(Topics.GATEWAY_COMMANDS, uid, command);
            TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
            // longer than the test's publish timeout: the relay had every chance to (wrongly) commit
            await("not committed while the broker is down")
                    .during(Duration.ofSeconds(6))
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> TestKafka.committed(GROUP, partition) <= sent.offset());
        } finally {
            broker.restart();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> mqtt.ready());
        try (device) {
            device.connect(false);
            Mqtt5Publish got = device.next(seconds(30));
            assertNotNull(got, "the command came once the broker was back");
            assertEquals(command.id(), TestDevice.userProperties(got).get(MqttCloudEvents.ID));
        }
    }

    /** A PUBACK with an error reason (here: the platform ACL refuses the topic) is retried, never committed as done. */
    @Test
    void aRefusedPublishIsRetriedUntilTheBrokerTakesIt() throws Exception {
        MosquittoBroker broker = EdgeLinkTestResource.broker();
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        String platformAcl = Files.readString(broker.platformAclFile());
        try (TestDevice device = TestDevice.enrolled(tenant, uid).online()) {
            Files.writeString(
                    broker.platformAclFile(),
                    platformAcl.replace(
                            "topic readwrite edgefleet/#",
                            "topic deny " + EdgeTopics.commands(tenant, uid) + "\ntopic readwrite edgefleet/#"));
            broker.reload();
            Thread.sleep(500); // deliberate: the reload is asynchronous in Mosquitto and shows nowhere
            CloudEvent command = TestEvents.command(tenant, uid, Instant.now().plusSeconds(600));
            RecordMetadata sent = TestKafka.send(Topics.GATEWAY_COMMANDS, uid, command);
            TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
            await("a refused command is not committed")
                    .during(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> TestKafka.committed(GROUP, partition) <= sent.offset());

            Files.writeString(broker.platformAclFile(), platformAcl);
            broker.reload();
            Mqtt5Publish got = device.next(seconds(30));
            assertNotNull(got, "retried after the refusal ended");
            assertEquals(command.id(), TestDevice.userProperties(got).get(MqttCloudEvents.ID));
            await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.committed(GROUP, partition) > sent.offset());
        } finally {
            Files.writeString(broker.platformAclFile(), platformAcl);
            broker.reload();
        }
    }
}
