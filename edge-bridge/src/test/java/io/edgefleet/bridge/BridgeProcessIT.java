package io.edgefleet.bridge;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.edgefleet.bridge.support.TestDevice;
import io.edgefleet.bridge.support.TestEvents;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.KafkaAccess;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.MqttCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.testsupport.BridgeProcess;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.KafkaBroker;
import io.edgefleet.testsupport.MosquittoBroker;
import io.edgefleet.testsupport.TestPublisher;
import io.edgefleet.testsupport.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The packaged bridge as other modules' end-to-end tests run it ({@link BridgeProcess}): it relays, and a
 * {@code kill -9} loses nothing — commands wait in Kafka (uncommitted), reports in the broker (unacknowledged, its
 * persistent session). Runs after {@code package} (failsafe).
 */
class BridgeProcessIT {

    private static KafkaBroker kafka;
    private static EdgePki pki;
    private static MosquittoBroker broker;
    private static TestPublisher producer;

    @BeforeAll
    static void start() {
        Path home = Path.of(
                        "target", "bridge-it-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        kafka = KafkaBroker.start();
        pki = EdgePki.create(home.resolve("pki"));
        broker = MosquittoBroker.start(pki, home.resolve("mosquitto"));
        producer = new TestPublisher(kafka);
    }

    @AfterAll
    static void stop() {
        producer.close();
        broker.close();
        kafka.close();
    }

    @Test
    void aKilledBridgeLosesNoCommandAndNoReport() throws Exception {
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        Path log = Path.of("target", "bridge-process-it.log").toAbsolutePath();
        try (BridgeProcess bridge = BridgeProcess.forBroker(broker, kafka.clientProperties(KafkaAccess.EDGE_BRIDGE))
                        .logFile(log)
                        .start();
                TestDevice device = new TestDevice(broker, tenant, uid, pki.device(tenant, uid)).online();
                TopicReader reports = new TopicReader(kafka.adminProperties(), Topics.GATEWAY_REPORTS)) {
            assertRelays(device, reports);

            bridge.kill();
            CloudEvent command = sendCommand(tenant, uid);
            CloudEvent report = TestEvents.progress(tenant, uid);
            assertEquals(Mqtt5PubAckReasonCode.SUCCESS, device.report(report), "queued in the bridge's session");
            bridge.restart();
            assertReceived(device, command);
            assertEquals(
                    1,
                    reports.await(r -> r.event().id().equals(report.id()), 1, Duration.ofSeconds(60))
                            .size());

            // killed while it holds a report that Kafka has not acknowledged
            CloudEvent held = TestEvents.progress(tenant, uid);
            kafka.pause();
            try {
                assertEquals(Mqtt5PubAckReasonCode.SUCCESS, device.report(held));
                Thread.sleep(2_000); // deliberate: the bridge has taken it and holds it, Kafka being paused
                bridge.kill();
            } finally {
                kafka.resume();
            }
            bridge.restart();
            assertEquals(
                    1,
                    reports.await(r -> r.event().id().equals(held.id()), 1, Duration.ofSeconds(60))
                            .size());
            assertRelays(device, reports);
        }
    }

    private void assertRelays(TestDevice device, TopicReader reports) throws Exception {
        assertReceived(device, sendCommand(device.tenant, device.uid));
        CloudEvent report = TestEvents.progress(device.tenant, device.uid);
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, device.report(report));
        assertEquals(
                1,
                reports.await(r -> r.event().id().equals(report.id()), 1, Duration.ofSeconds(60))
                        .size());
    }

    private CloudEvent sendCommand(String tenant, String uid) throws Exception {
        CloudEvent command = TestEvents.command(tenant, uid, Instant.now().plusSeconds(600));
        producer.send(KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, uid, command));
        return command;
    }

    private static void assertReceived(TestDevice device, CloudEvent command) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Mqtt5Publish got = device.next(Duration.ofSeconds(5));
            if (got != null
                    && command.id().equals(TestDevice.userProperties(got).get(MqttCloudEvents.ID))) {
                return;
            }
        }
        assertNotNull(null, "command " + command.id() + " not delivered");
    }
}
