package io.edgefleet.bridge.commands;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgefleet.bridge.support.TestEvents;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommandMessageTest {

    @Test
    void theExpiryEndsBeforeTheDeadlineWhateverTheBrokersSecondGranularity() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        CommandMessage command = CommandMessage.of(
                record("t", "gw", TestEvents.command("t", "gw", now.plusMillis(90_001))), Duration.ofHours(1));
        assertEquals("edgefleet/t/gw/commands", command.topic());
        assertEquals(89, command.expirySeconds(now)); // 90.001 s left
        assertEquals(1, command.expirySeconds(now.plusMillis(88_000))); // 2.001 s left
        assertEquals(0, command.expirySeconds(now.plusMillis(89_000))); // 1.001 s left: not published
        assertEquals(0, command.expirySeconds(now.plusMillis(90_001)));
        assertNull(command.toPublish(now.plusSeconds(100)), "past the deadline: not published");
        Mqtt5Publish publish = command.toPublish(now);
        assertEquals(89, publish.getMessageExpiryInterval().orElseThrow());
    }

    @Test
    void withoutADeadlineTheTtlCountsFromTheEventTime() {
        CloudEvent event = TestEvents.command("t", "gw", null);
        CommandMessage command = CommandMessage.of(record("t", "gw", event), Duration.ofMinutes(10));
        assertEquals(event.time().plus(Duration.ofMinutes(10)), command.deadline());
    }

    @Test
    void recordsThatNameNoApplianceAreInvalid() {
        assertThrows(
                InvalidEventException.class,
                () -> CommandMessage.of(record("t", "a/b", TestEvents.command("t", "a/b", null)), Duration.ofHours(1)));
        assertThrows(
                InvalidEventException.class,
                () -> CommandMessage.of(record("t", null, TestEvents.command("t", "gw", null)), Duration.ofHours(1)));
        assertThrows(
                InvalidEventException.class,
                () -> CommandMessage.of(
                        record("t", "gw", TestEvents.command("t", "other", null)), Duration.ofHours(1)));
        assertThrows(
                InvalidEventException.class,
                () -> CommandMessage.of(record("t", "gw", TestEvents.command("#", "gw", null)), Duration.ofHours(1)));
    }

    private static ConsumerRecord<String, byte[]> record(String tenant, String key, CloudEvent event) {
        ProducerRecord<String, byte[]> r = KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, key, event);
        return new ConsumerRecord<>(
                Topics.GATEWAY_COMMANDS,
                0,
                0L,
                0L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                key,
                r.value(),
                r.headers(),
                Optional.empty());
    }
}
