package io.edgefleet.bridge.reports;

import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.edgefleet.bridge.support.TestDevice;
import io.edgefleet.bridge.support.TestEvents;
import io.edgefleet.bridge.support.TestInfrastructure;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.MqttCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.testsupport.KafkaBroker;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Report topics → gateway-reports, with the identity the broker verified (the topic), against real Kafka and Mosquitto. */
@QuarkusTest
@TestInfrastructure
class ReportRelayTest {

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void aReportGoesToKafkaWithSubjectAndTenantFromItsTopic() throws Exception {
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        CloudEvent report = TestEvents.progress(tenant, uid);
        CloudEvent withoutIdentity = TestEvents.report(tenant, uid, EventTypes.GATEWAY_HEARTBEAT);
        Map<String, String> bare = MqttCloudEvents.properties(withoutIdentity);
        bare.remove(MqttCloudEvents.SUBJECT);
        bare.remove(MqttCloudEvents.TENANT);
        try (TestDevice device = TestDevice.enrolled(tenant, uid).online();
                TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            assertEquals(Mqtt5PubAckReasonCode.SUCCESS, device.report(report));
            assertEquals(
                    Mqtt5PubAckReasonCode.SUCCESS,
                    device.publish(EdgeTopics.reports(tenant, uid), bare, withoutIdentity.data()));

            List<TopicReader.Received> got = reports.await(
                    r -> Set.of(report.id(), withoutIdentity.id())
                            .contains(r.event().id()),
                    2,
                    Duration.ofSeconds(30));
            assertEquals(2, got.size());
            for (TopicReader.Received r : got) {
                assertEquals(uid, r.key());
                assertEquals(uid, r.event().subject());
                assertEquals(tenant, r.event().tenant());
            }
            CloudEvent relayed = got.stream()
                    .filter(r -> r.event().id().equals(report.id()))
                    .findFirst()
                    .orElseThrow()
                    .event();
            assertEquals(report.type(), relayed.type());
            assertEquals(report.source(), relayed.source());
            assertEquals(report.time(), relayed.time());
            assertArrayEquals(report.data(), relayed.data());
        }
    }

    @Test
    void forgedIdentitiesOtherTypesAndMalformedReportsAreDropped() throws Exception {
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        String topic = EdgeTopics.reports(tenant, uid);
        List<String> dropped = new ArrayList<>();
        double refusedBefore = metric("edgefleet_bridge_reports_total", "outcome=\"refused\"");
        double relayedBefore = metric("edgefleet_bridge_reports_total", "outcome=\"relayed\"");
        try (TestDevice device = TestDevice.enrolled(tenant, uid).online();
                TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            CloudEvent otherSubject = TestEvents.progress(tenant, "victim");
            CloudEvent otherTenant = TestEvents.progress("other-tenant", uid);
            CloudEvent command = TestEvents.report(tenant, uid, EventTypes.DELETE_NODE);
            CloudEvent applianceEvent = TestEvents.report(tenant, uid, EventTypes.APPLIANCE_DELETED);
            for (CloudEvent bad : List.of(otherSubject, otherTenant, command, applianceEvent)) {
                dropped.add(bad.id());
                assertEquals(
                        Mqtt5PubAckReasonCode.SUCCESS,
                        device.publish(topic, MqttCloudEvents.properties(bad), bad.data()));
            }
            Map<String, String> noSpecVersion =
                    new HashMap<>(MqttCloudEvents.properties(TestEvents.progress(tenant, uid)));
            noSpecVersion.remove(MqttCloudEvents.SPEC_VERSION);
            dropped.add(noSpecVersion.get(MqttCloudEvents.ID));
            device.publish(topic, noSpecVersion, "{}".getBytes());
            CloudEvent valid = TestEvents.progress(tenant, uid);
            device.report(valid);

            // the valid one came after the others: once it is there, the others were handled
            assertEquals(
                    1,
                    reports.await(r -> r.event().id().equals(valid.id()), 1, Duration.ofSeconds(30))
                            .size());
            assertTrue(
                    reports.settle(r -> dropped.contains(r.event().id()), Duration.ofSeconds(2))
                            .isEmpty(),
                    "dropped");
        }
        // what an operator sees: every refused report counted, the valid one relayed, the link up
        assertEquals(refusedBefore + dropped.size(), metric("edgefleet_bridge_reports_total", "outcome=\"refused\""));
        assertTrue(metric("edgefleet_bridge_reports_total", "outcome=\"relayed\"") > relayedBefore);
        assertEquals(1, metric("edgefleet_bridge_mqtt_ready"));
    }

    /** The sum of the samples of {@code name} at /q/metrics whose labels include {@code label}. */
    private double metric(String name, String... label) throws Exception {
        String body = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
        return body.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> List.of(label).stream().allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aDeviceCannotPublishAnotherDevicesReports() throws Exception {
        String tenant = TestEvents.name("tenant");
        String a = TestEvents.name("gw-a");
        String b = TestEvents.name("gw-b");
        try (TestDevice deviceA = TestDevice.enrolled(tenant, a).online();
                TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            CloudEvent posing = TestEvents.progress(tenant, b);
            assertEquals(
                    Mqtt5PubAckReasonCode.NOT_AUTHORIZED,
                    deviceA.publish(EdgeTopics.reports(tenant, b), MqttCloudEvents.properties(posing), posing.data()));
            CloudEvent otherTenant = TestEvents.progress("another-tenant", a);
            assertEquals(
                    Mqtt5PubAckReasonCode.NOT_AUTHORIZED,
                    deviceA.publish(
                            EdgeTopics.reports("another-tenant", a),
                            MqttCloudEvents.properties(otherTenant),
                            otherTenant.data()));
            assertTrue(reports.settle(
                            r -> r.event().id().equals(posing.id())
                                    || r.event().id().equals(otherTenant.id()),
                            Duration.ofSeconds(3))
                    .isEmpty());
        }
    }

    @Test
    void reportsSentWhileKafkaIsDownArriveAfterItIsBack() throws Exception {
        KafkaBroker kafka = KafkaTestResource.broker();
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        List<String> ids = new ArrayList<>();
        try (TestDevice device = TestDevice.enrolled(tenant, uid).online()) {
            kafka.pause();
            try {
                for (int i = 0; i < 3; i++) {
                    CloudEvent report = TestEvents.progress(tenant, uid);
                    ids.add(report.id());
                    assertEquals(Mqtt5PubAckReasonCode.SUCCESS, device.report(report), "the broker took it");
                }
                Thread.sleep(3_000); // deliberate: a Kafka outage, the bridge holds them unacknowledged meanwhile
            } finally {
                kafka.resume();
            }
        }
        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            assertEquals(
                    3,
                    reports.await(r -> ids.contains(r.event().id()), 3, Duration.ofSeconds(90))
                            .size());
        }
    }
}
