package io.edgefleet.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Topic names and the CloudEvents MQTT binding of the edge link. */
class EdgeLinkContractTest {

    @Test
    void topicsNameTheVerifiedIdentityAndNothingElse() {
        assertEquals("edgefleet/tenant-a/hospital-1/commands", EdgeTopics.commands("tenant-a", "hospital-1"));
        assertEquals("edgefleet/tenant-a/hospital-1/reports", EdgeTopics.reports("tenant-a", "hospital-1"));
        assertEquals(
                new EdgeTopics.Address("tenant-a", "hospital-1", "reports"),
                EdgeTopics.parse("edgefleet/tenant-a/hospital-1/reports"));
        assertEquals(
                "tenant-a/hospital-1",
                EdgeTopics.parseIdentity("tenant-a/hospital-1").identity());
        // wildcards, extra levels, empty levels and names that are not identities are never a topic of ours
        for (String topic : new String[] {
            "edgefleet/+/hospital-1/reports",
            "edgefleet/tenant-a/#",
            "edgefleet/tenant-a/a/b/reports",
            "edgefleet//hospital-1/reports",
            "edgefleet/tenant-a/hospital-1/other",
            "other/tenant-a/hospital-1/reports",
            "edgefleet/-x/hospital-1/reports",
            "edgefleet/tenant-a/" + "u".repeat(65) + "/reports"
        }) {
            assertNull(EdgeTopics.parse(topic), topic);
        }
        assertNull(EdgeTopics.parseIdentity("edgefleet-bridge"), "the bridge's CN is not a device identity");
        assertThrows(IllegalArgumentException.class, () -> EdgeTopics.commands("tenant-a", "a/b"));
        assertThrows(IllegalArgumentException.class, () -> EdgeTopics.reports("+", "x"));
    }

    @Test
    void aCloudEventSurvivesTheMqttBindingWithItsDeadline() {
        Instant time = Instant.parse("2026-12-05T10:00:00Z");
        CloudEvent command = new CloudEvent(
                "e-1",
                "/edgefleet/cluster-service",
                EventTypes.CREATE_NODE,
                "hospital-1",
                "tenant-a",
                time,
                """
                        {"commandId":"c-1"}""".getBytes(StandardCharsets.UTF_8),
                time.plusSeconds(600));
        Map<String, String> properties = MqttCloudEvents.properties(command);
        assertEquals("2026-12-05T10:10:00Z", properties.get("expiresat"));
        CloudEvent read = MqttCloudEvents.fromProperties(properties, CloudEvent.JSON, command.data());
        assertEquals(command.id(), read.id());
        assertEquals(command.type(), read.type());
        assertEquals(command.tenant(), read.tenant());
        assertEquals(command.subject(), read.subject());
        assertEquals(command.expiresAt(), read.expiresAt());
        assertArrayEquals(command.data(), read.data());

        Map<String, String> noVersion = new HashMap<>(properties);
        noVersion.remove("specversion");
        assertThrows(
                InvalidEventException.class,
                () -> MqttCloudEvents.fromProperties(noVersion, CloudEvent.JSON, command.data()));
        Map<String, String> badDeadline = new HashMap<>(properties);
        badDeadline.put("expiresat", "tomorrow");
        assertThrows(
                InvalidEventException.class,
                () -> MqttCloudEvents.fromProperties(badDeadline, CloudEvent.JSON, command.data()));
        assertThrows(
                InvalidEventException.class,
                () -> MqttCloudEvents.fromProperties(properties, "text/plain", command.data()));
    }
}
