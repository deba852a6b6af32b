package io.edgefleet.bridge.commands;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgefleet.bridge.support.PlatformObserver;
import io.edgefleet.bridge.support.TestDevice;
import io.edgefleet.bridge.support.TestEvents;
import io.edgefleet.bridge.support.TestInfrastructure;
import io.edgefleet.bridge.support.TestKafka;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.MqttCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.TraceContext;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.edgefleet.bridge.support.TestDevice.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gateway-commands → the appliance's command topic, against real Kafka and a real Mosquitto with device certificates. */
@QuarkusTest
@TestInfrastructure
class CommandRelayTest {

    @Test
    void aCommandReachesItsDeviceAsACloudEventWithTheTimeLeftAsExpiry() throws Exception {
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        try (TestDevice device = TestDevice.enrolled(tenant, uid).online()) {
            CloudEvent command = TestEvents.command(tenant, uid, Instant.now().plus(Duration.ofMinutes(10)));
            TestKafka.send(Topics.GATEWAY_COMMANDS, uid, command);

            Mqtt5Publish got = device.next(seconds(30));
            assertNotNull(got, "the device got its command");
            assertEquals(EdgeTopics.commands(tenant, uid), got.getTopic().toString());
            assertEquals(MqttQos.AT_LEAST_ONCE, got.getQos());
            assertEquals(CloudEvent.JSON, got.getContentType().orElseThrow().toString());
            CloudEvent received = MqttCloudEvents.fromProperties(
                    TestDevice.userProperties(got), CloudEvent.JSON, got.getPayloadAsBytes());
            assertEquals(command.id(), received.id());
            assertEquals(command.source(), received.source());
            assertEquals(command.type(), received.type());
            assertEquals(uid, received.subject());
            assertEquals(tenant, received.tenant());
            assertEquals(command.time(), received.time());
            assertEquals(command.expiresAt(), received.expiresAt());
            assertArrayEquals(command.data(), received.data());
            long expiry = got.getMessageExpiryInterval().orElseThrow();
            assertTrue(expiry > 540 && expiry <= 600, "expiry = time left until the deadline: " + expiry);
        }
    }

    @Test
    void aCommandsTraceContextReachesTheDeviceAndAMalformedOneIsDropped() throws Exception {
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        TraceContext trace = new TraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "edgefleet=1");
        try (TestDevice device = TestDevice.enrolled(tenant, uid).online()) {
            TestKafka.send(
                    Topics.GATEWAY_COMMANDS,
                    uid,
                    TestEvents.command(tenant, uid, null).withTrace(trace));
            Mqtt5Publish got = device.next(seconds(30));
            assertNotNull(got);
            TraceContext received = MqttCloudEvents.fromProperties(
                            TestDevice.userProperties(got), CloudEvent.JSON, got.getPayloadAsBytes())
                    .trace();
            assertNotNull(received, "the command arrives in its trace");
            assertEquals(trace.traceId(), received.traceId());

            // a forged or broken ce_traceparent is no reason to refuse a command: it arrives, in a new trace (the
            // bridge's span)
            CloudEvent command = TestEvents.command(tenant, uid, null);
            ProducerRecord<String, byte[]> record = KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, uid, command);
            KafkaCloudEvents.put(record.headers(), KafkaCloudEvents.TRACEPARENT, "00-not-a-trace-01");
            TestKafka.send(record);
            Mqtt5Publish second = device.next(seconds(30));
            assertNotNull(second, "the command with a malformed traceparent is relayed");
            assertEquals(command.id(), TestDevice.userProperties(second).get(MqttCloudEvents.ID));
            String traceparent = TestDevice.userProperties(second).get(MqttCloudEvents.TRACEPARENT);
            assertTrue(TraceContext.valid(traceparent), "a new trace: " + traceparent);
            assertNotEquals(
                    trace.traceId(), TraceContext.parse(traceparent, null).traceId());
        }
    }

    @Test
    void withoutADeadlineACommandExpiresAfterTheConfiguredTtlFromItsTime() throws Exception {
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        try (TestDevice device = TestDevice.enrolled(tenant, uid).online()) {
            TestKafka.send(Topics.GATEWAY_COMMANDS, uid, TestEvents.command(tenant, uid, null));
            Mqtt5Publish got = device.next(seconds(30));
            assertNotNull(got);
            assertNull(TestDevice.userProperties(got).get(MqttCloudEvents.EXPIRES_AT));
            long expiry = got.getMessageExpiryInterval().orElseThrow();
            assertTrue(expiry > 3540 && expiry <= 3600, "bridge.command-ttl (1 h) from ce_time: " + expiry);
        }
    }

    @Test
    void aDeviceReceivesNoOtherDevicesCommands() throws Exception {
        String tenant = TestEvents.name("tenant");
        String a = TestEvents.name("gw-a");
        String b = TestEvents.name("gw-b");
        try (TestDevice deviceA = TestDevice.enrolled(tenant, a).online();
                TestDevice deviceB = TestDevice.enrolled(tenant, b).online()) {
            deviceA.subscribe(EdgeTopics.commands(tenant, b)); // the broker's ACL lets it read only its own
            deviceA.subscribe("edgefleet/#");
            CloudEvent forB = TestEvents.command(tenant, b, Instant.now().plusSeconds(600));
            TestKafka.send(Topics.GATEWAY_COMMANDS, b, forB);

            Mqtt5Publish got = deviceB.next(seconds(30));
            assertNotNull(got);
            assertEquals(forB.id(), TestDevice.userProperties(got).get(MqttCloudEvents.ID));
            assertNull(deviceA.next(seconds(3)), "A must not see B's command");
        }
    }

    @Test
    void aCommandQueuedForAnOfflineDeviceIsDeliveredWhenItConnects() throws Exception {
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        TestDevice device = TestDevice.enrolled(tenant, uid).online();
        device.disconnect(); // the broker keeps its session and subscription
        try (PlatformObserver observer = new PlatformObserver(EdgeTopics.commands(tenant, uid))) {
            CloudEvent command = TestEvents.command(tenant, uid, Instant.now().plusSeconds(600));
            TestKafka.send(Topics.GATEWAY_COMMANDS, uid, command);
            assertNotNull(observer.next(seconds(30)), "the bridge published it while the device was away");
        }
        try (device) {
            device.connect(false);
            Mqtt5Publish got = device.next(seconds(15));
            assertNotNull(got, "delivered from its session on reconnect");
        }
    }

    @Test
    void anExpiredCommandIsNeverDeliveredToADeviceThatConnectsLater() throws Exception {
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        TestDevice device = TestDevice.enrolled(tenant, uid).online();
        device.disconnect();
        // long enough for the relay to publish it on a loaded machine, short enough to wait out
        CloudEvent shortLived = TestEvents.command(tenant, uid, Instant.now().plusSeconds(10));
        CloudEvent longLived = TestEvents.command(tenant, uid, Instant.now().plusSeconds(600));
        try (PlatformObserver observer = new PlatformObserver(EdgeTopics.commands(tenant, uid))) {
            TestKafka.send(Topics.GATEWAY_COMMANDS, uid, shortLived);
            Mqtt5Publish published = observer.next(seconds(8));
            assertNotNull(published, "the bridge published the short-lived command before its deadline");
            assertTrue(published.getMessageExpiryInterval().orElseThrow() <= 10);
            TestKafka.send(Topics.GATEWAY_COMMANDS, uid, longLived);
            assertNotNull(observer.next(seconds(30)));
        }
        await("the short-lived command expired")
                .atMost(Duration.ofSeconds(30))
                .until(() -> Instant.now().isAfter(shortLived.expiresAt().plusMillis(1_500)));
        try (device) {
            device.connect(false);
            Mqtt5Publish got = device.next(seconds(10));
            assertNotNull(got);
            assertEquals(
                    longLived.id(),
                    TestDevice.userProperties(got).get(MqttCloudEvents.ID),
                    "only the command still wanted");
            assertNull(device.next(seconds(2)));
        }
    }

    @Test
    void aCommandPastItsDeadlineIsNotPublished() throws Exception {
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        try (TestDevice device = TestDevice.enrolled(tenant, uid).online()) {
            CloudEvent late = TestEvents.command(tenant, uid, Instant.now().minusSeconds(1));
            CloudEvent current = TestEvents.command(tenant, uid, Instant.now().plusSeconds(600));
            TestKafka.send(Topics.GATEWAY_COMMANDS, uid, late);
            TestKafka.send(Topics.GATEWAY_COMMANDS, uid, current);
            Mqtt5Publish got = device.next(seconds(30));
            assertNotNull(got);
            assertEquals(current.id(), TestDevice.userProperties(got).get(MqttCloudEvents.ID));
            assertNull(device.next(seconds(2)));
        }
    }

    @Test
    void invalidRecordsAreSkippedAndDoNotHoldUpTheNextCommand() throws Exception {
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        try (TestDevice device = TestDevice.enrolled(tenant, uid).online()) {
            // not a CloudEvent at all
            TestKafka.send(new ProducerRecord<>(
                    Topics.GATEWAY_COMMANDS, null, uid, "{}".getBytes(StandardCharsets.UTF_8), new RecordHeaders()));
            // a tenant that cannot be a topic level
            TestKafka.send(withTenant(TestEvents.command(tenant, uid, null), "evil/+"));
            // a key that is not a uid, and a subject that disagrees with the key
            TestKafka.send(Topics.GATEWAY_COMMANDS, "a/#", TestEvents.command(tenant, "a", null));
            TestKafka.send(Topics.GATEWAY_COMMANDS, uid, TestEvents.command(tenant, "someone-else", null));
            CloudEvent valid = TestEvents.command(tenant, uid, null);
            TestKafka.send(Topics.GATEWAY_COMMANDS, uid, valid);

            Mqtt5Publish got = device.next(seconds(30));
            assertNotNull(got);
            assertEquals(valid.id(), TestDevice.userProperties(got).get(MqttCloudEvents.ID));
            assertNull(device.next(seconds(2)));
        }
    }

    /** Throughput sanity, not a benchmark: 4 appliances × 50 commands sent at once arrive complete and in order. */
    @Test
    void eachAppliancesCommandsArriveInOrder() throws Exception {
        String tenant = TestEvents.name("tenant");
        int perDevice = 50;
        List<TestDevice> devices = new ArrayList<>();
        try {
            for (int d = 0; d < 4; d++) {
                devices.add(
                        TestDevice.enrolled(tenant, TestEvents.name("gw" + d)).online());
            }
            Map<String, List<String>> sent = new HashMap<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < perDevice; i++) {
                for (TestDevice device : devices) {
                    CloudEvent command =
                            TestEvents.command(tenant, device.uid, Instant.now().plusSeconds(600));
                    sent.computeIfAbsent(device.uid, k -> new ArrayList<>()).add(command.id());
                    TestKafka.send(Topics.GATEWAY_COMMANDS, device.uid, command);
                }
            }
            for (TestDevice device : devices) {
                List<String> got = new ArrayList<>();
                while (got.size() < perDevice) {
                    Mqtt5Publish publish = device.next(seconds(60));
                    assertNotNull(publish, device.uid + " got only " + got.size());
                    String id = TestDevice.userProperties(publish).get(MqttCloudEvents.ID);
                    if (got.isEmpty() || !got.get(got.size() - 1).equals(id)) { // an at-least-once repeat is fine
                        got.add(id);
                    }
                }
                assertEquals(sent.get(device.uid), got, "in order for " + device.uid);
            }
            System.out.printf(
                    "[throughput] %d commands through Kafka, the bridge and Mosquitto in %d ms%n",
                    4 * perDevice, (System.nanoTime() - t0) / 1_000_000);
        } finally {
            devices.forEach(TestDevice::close);
        }
    }

    private static ProducerRecord<String, byte[]> withTenant(CloudEvent event, String tenant) {
        ProducerRecord<String, byte[]> record =
                KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, event.subject(), event);
        KafkaCloudEvents.put(record.headers(), KafkaCloudEvents.TENANT, tenant);
        return record;
    }
}
