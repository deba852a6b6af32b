package io.edgefleet.events;

import io.cloudevents.kafka.CloudEventDeserializer;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.ProxySettings;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KafkaCloudEventsTest {

    private final GatewayReport report = new GatewayReport(
            "hospital-1",
            ApplianceKind.VM,
            new Inventory(
                    "edge-1",
                    "10.0.0.5",
                    4,
                    8L << 30,
                    List.of(new Inventory.Disk("vda", 100L << 30)),
                    null,
                    new Inventory.Docker(true, "20.10.24")),
            "0.1.0",
            "online",
            "192.168.0.0/16",
            "10.96.0.0/12",
            ProxySettings.NONE);

    private final CloudEvent event = new CloudEvent(
            "e-1",
            "/edgefleet/edge-gateway",
            EventTypes.GATEWAY_HEARTBEAT,
            "hospital-1",
            "tenant-a",
            Instant.parse("2026-11-24T10:15:30.123Z"),
            EventJson.write(report));

    @Test
    void roundTripsThroughKafkaHeaders() {
        ProducerRecord<String, byte[]> record = KafkaCloudEvents.toRecord(Topics.GATEWAY_REPORTS, "hospital-1", event);
        assertEquals("hospital-1", record.key());

        CloudEvent back = KafkaCloudEvents.fromHeaders(record.headers(), record.value());
        assertEquals(event.id(), back.id());
        assertEquals(event.type(), back.type());
        assertEquals(event.subject(), back.subject());
        assertEquals(event.tenant(), back.tenant());
        assertEquals(event.time(), back.time());
        assertEquals(report, back.dataAs(GatewayReport.class));
    }

    @Test
    void theReferenceSdkReadsOurBinaryMode() {
        ProducerRecord<String, byte[]> record = KafkaCloudEvents.toRecord(Topics.GATEWAY_REPORTS, "hospital-1", event);
        try (var deserializer = new CloudEventDeserializer()) {
            io.cloudevents.CloudEvent sdk =
                    deserializer.deserialize(Topics.GATEWAY_REPORTS, record.headers(), record.value());
            assertEquals("1.0", sdk.getSpecVersion().toString());
            assertEquals("e-1", sdk.getId());
            assertEquals(EventTypes.GATEWAY_HEARTBEAT, sdk.getType());
            assertEquals("/edgefleet/edge-gateway", sdk.getSource().toString());
            assertEquals("hospital-1", sdk.getSubject());
            assertEquals("tenant-a", sdk.getExtension("tenant"));
            assertEquals(CloudEvent.JSON, sdk.getDataContentType());
            assertEquals(event.time(), sdk.getTime().toInstant());
        }
    }

    @Test
    void rejectsRecordsThatAreNotCloudEvents() {
        var headers = new RecordHeaders();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThrows(InvalidEventException.class, () -> KafkaCloudEvents.fromHeaders(headers, body));

        var noTenant = KafkaCloudEvents.headers(event);
        noTenant.remove(KafkaCloudEvents.TENANT);
        assertThrows(InvalidEventException.class, () -> KafkaCloudEvents.fromHeaders(noTenant, body));

        var badTime = KafkaCloudEvents.headers(event);
        KafkaCloudEvents.put(badTime, KafkaCloudEvents.TIME, "yesterday");
        assertThrows(InvalidEventException.class, () -> KafkaCloudEvents.fromHeaders(badTime, body));
    }

    @Test
    void malformedPayloadIsAnInvalidEvent() {
        var bad =
                new CloudEvent("e-2", "/x", "t", null, "tenant-a", Instant.now(), """
                        {"uid": [1,2]}""".getBytes(StandardCharsets.UTF_8));
        assertThrows(InvalidEventException.class, () -> bad.dataAs(GatewayReport.class));
        assertEquals(Map.of(), EventJson.read("{}".getBytes(StandardCharsets.UTF_8), Map.class));
        // JSON null is no payload: a handler must never get null (it would fail, be retried, then be given up)
        var nothing = new CloudEvent(
                "e-3", "/x", "t", null, "tenant-a", Instant.now(), "null".getBytes(StandardCharsets.UTF_8));
        assertThrows(InvalidEventException.class, () -> nothing.dataAs(GatewayReport.class));
    }
}
