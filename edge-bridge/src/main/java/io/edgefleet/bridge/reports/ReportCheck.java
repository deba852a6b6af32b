package io.edgefleet.bridge.reports;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.MqttCloudEvents;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides what an incoming PUBLISH is worth. The topic names the sender the broker verified (its certificate's
 * identity), so tenant and uid come from the topic; a report claiming another {@code subject} or {@code tenant}, of a
 * type a gateway does not send, or not a CloudEvent at all, is rejected (retrying cannot fix it).
 */
public final class ReportCheck {

    private ReportCheck() {}

    public sealed interface Result permits Accepted, Rejected {}

    /** To Kafka: key = uid, subject and tenant from the topic. */
    public record Accepted(String uid, CloudEvent event) implements Result {}

    public record Rejected(String reason) implements Result {}

    /** @param properties the PUBLISH's user properties (for a repeated name the last one) */
    public static Result check(String topic, Map<String, String> properties, String contentType, byte[] payload) {
        EdgeTopics.Address from = EdgeTopics.parse(topic);
        if (from == null || !EdgeTopics.REPORTS.equals(from.kind())) {
            return new Rejected("not a report topic");
        }
        String subject = properties.get(MqttCloudEvents.SUBJECT);
        if (subject != null && !subject.equals(from.uid())) {
            return new Rejected("subject '" + subject + "' is not the topic's uid '" + from.uid() + "'");
        }
        String tenant = properties.get(MqttCloudEvents.TENANT);
        if (tenant != null && !tenant.equals(from.tenant())) {
            return new Rejected("tenant '" + tenant + "' is not the topic's tenant '" + from.tenant() + "'");
        }
        Map<String, String> attributes = new HashMap<>(properties);
        attributes.put(MqttCloudEvents.SUBJECT, from.uid());
        attributes.put(MqttCloudEvents.TENANT, from.tenant());
        CloudEvent event;
        try {
            event = MqttCloudEvents.fromProperties(attributes, contentType, payload);
        } catch (InvalidEventException e) {
            return new Rejected("malformed: " + e.getMessage());
        }
        if (!EventTypes.GATEWAY_REPORT_TYPES.contains(event.type())) {
            return new Rejected("type '" + event.type() + "' is not a gateway report");
        }
        return new Accepted(from.uid(), event);
    }
}
