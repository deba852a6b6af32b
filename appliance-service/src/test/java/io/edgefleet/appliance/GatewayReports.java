package io.edgefleet.appliance;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.testsupport.TestPublisher;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Sends gateway reports the way a gateway does, with full control over ids, tenants and tokens. */
final class GatewayReports implements AutoCloseable {

    private final TestPublisher producer = new TestPublisher();

    GatewayReports() {}

    static GatewayReport report(String uid, String hostname) {
        return new GatewayReport(
                uid,
                ApplianceKind.VM,
                new Inventory(
                        hostname,
                        "10.0.0.7",
                        4,
                        8L << 30,
                        List.of(new Inventory.Disk("vda", 50L << 30)),
                        null,
                        new Inventory.Docker(true, "20.10.24")),
                "0.1.0",
                "online",
                "192.168.0.0/16",
                "10.96.0.0/12",
                ProxySettings.NONE);
    }

    /** Sends {@code report} as event {@code eventId} of {@code tenant}, as the edge bridge relays it. */
    void send(String tenant, GatewayReport report, String eventId) {
        send(tenant, report, eventId, Instant.now());
    }

    /** Sends {@code report} as event {@code eventId} of {@code tenant}, sent by the gateway at {@code time}. */
    void send(String tenant, GatewayReport report, String eventId, Instant time) {
        CloudEvent event = new CloudEvent(
                eventId,
                "/edgefleet/edge-gateway",
                EventTypes.GATEWAY_HEARTBEAT,
                report.uid(),
                tenant,
                time,
                EventJson.write(report));
        ProducerRecord<String, byte[]> record = KafkaCloudEvents.toRecord(Topics.GATEWAY_REPORTS, report.uid(), event);
        sendRaw(record);
    }

    String send(String tenant, GatewayReport report) {
        String id = UUID.randomUUID().toString();
        send(tenant, report, id);
        return id;
    }

    void sendRaw(ProducerRecord<String, byte[]> record) {
        producer.send(record); // as the edge bridge: the only writer of gateway-reports
    }

    @Override
    public void close() {
        producer.close();
    }
}
