package io.edgefleet.bridge.commands;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.MqttCloudEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.time.Instant;

/**
 * A record of {@code gateway-commands} as the bridge publishes it: to the command topic of the appliance named by
 * {@code ce_tenant} and the record key, the CloudEvent as MQTT 5 user properties, with a message expiry of the time
 * left until the command's deadline (so the broker drops it rather than deliver it late to an appliance that was away).
 *
 * @param deadline {@code ce_expiresat}, or {@code ce_time} + {@code bridge.command-ttl} when the sender set none
 */
public record CommandMessage(String topic, CloudEvent event, Instant deadline) {

    /** @throws InvalidEventException when the record is not a CloudEvent or names no valid appliance */
    public static CommandMessage of(ConsumerRecord<String, byte[]> record, Duration defaultTtl) {
        CloudEvent event = KafkaCloudEvents.fromRecord(record);
        String uid = record.key();
        if (!EdgeTopics.validName(uid)) {
            throw new InvalidEventException("record key '" + uid + "' is not an appliance uid");
        }
        if (!EdgeTopics.validName(event.tenant())) {
            throw new InvalidEventException("ce_tenant '" + event.tenant() + "' is not a tenant id");
        }
        if (event.subject() != null && !event.subject().equals(uid)) {
            throw new InvalidEventException("ce_subject '" + event.subject() + "' is not the record key '" + uid + "'");
        }
        Instant deadline =
                event.expiresAt() != null ? event.expiresAt() : event.time().plus(defaultTtl);
        return new CommandMessage(EdgeTopics.commands(event.tenant(), uid), event, deadline);
    }

    /**
     * The MQTT message expiry interval: the whole seconds left until the deadline, less one; 0 or less when fewer than
     * two seconds are left. Mosquitto counts expiry in whole seconds of its clock and keeps a message through its last
     * second, so this is what makes sure a command is never delivered at or after its deadline (when its sender has
     * given up on it, or is about to).
     */
    public long expirySeconds(Instant now) {
        long millis = Duration.between(now, deadline).toMillis();
        return millis <= 0 ? 0 : millis / 1000 - 1;
    }

    /** The QoS 1 PUBLISH, or null when the deadline has passed (nobody waits for the command any more). */
    public Mqtt5Publish toPublish(Instant now) {
        long expiry = expirySeconds(now);
        if (expiry <= 0) {
            return null;
        }
        Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
        MqttCloudEvents.properties(event).forEach(properties::add);
        return Mqtt5Publish.builder()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(event.data())
                .contentType(CloudEvent.JSON)
                .messageExpiryInterval(expiry)
                .userProperties(properties.build())
                .build();
    }
}
