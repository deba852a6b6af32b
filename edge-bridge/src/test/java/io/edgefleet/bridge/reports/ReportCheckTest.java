package io.edgefleet.bridge.reports;

import io.edgefleet.bridge.support.TestEvents;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.MqttCloudEvents;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ReportCheckTest {

    private static final String TOPIC = "edgefleet/t/gw/reports";

    @Test
    void identityComesFromTheTopic() {
        CloudEvent report = TestEvents.progress("t", "gw");
        Map<String, String> properties = MqttCloudEvents.properties(report);
        properties.remove(MqttCloudEvents.SUBJECT);
        properties.remove(MqttCloudEvents.TENANT);
        ReportCheck.Accepted accepted = assertInstanceOf(ReportCheck.Accepted.class, check(TOPIC, properties, report));
        assertEquals("gw", accepted.uid());
        assertEquals("gw", accepted.event().subject());
        assertEquals("t", accepted.event().tenant());
    }

    @Test
    void rejectsWhatRetryingCannotFix() {
        CloudEvent report = TestEvents.progress("t", "gw");
        assertInstanceOf(
                ReportCheck.Rejected.class,
                check("edgefleet/t/gw/commands", MqttCloudEvents.properties(report), report));
        assertInstanceOf(
                ReportCheck.Rejected.class,
                check("elsewhere/t/gw/reports", MqttCloudEvents.properties(report), report));
        CloudEvent otherSubject = TestEvents.progress("t", "other");
        assertInstanceOf(
                ReportCheck.Rejected.class, check(TOPIC, MqttCloudEvents.properties(otherSubject), otherSubject));
        CloudEvent otherTenant = TestEvents.progress("u", "gw");
        assertInstanceOf(
                ReportCheck.Rejected.class, check(TOPIC, MqttCloudEvents.properties(otherTenant), otherTenant));
        CloudEvent command = TestEvents.report("t", "gw", EventTypes.CREATE_NODE);
        assertInstanceOf(ReportCheck.Rejected.class, check(TOPIC, MqttCloudEvents.properties(command), command));
        Map<String, String> noTime = MqttCloudEvents.properties(report);
        noTime.remove(MqttCloudEvents.TIME);
        assertInstanceOf(ReportCheck.Rejected.class, check(TOPIC, noTime, report));
        assertInstanceOf(
                ReportCheck.Rejected.class,
                ReportCheck.check(TOPIC, MqttCloudEvents.properties(report), "text/plain", report.data()));
    }

    private static ReportCheck.Result check(String topic, Map<String, String> properties, CloudEvent event) {
        return ReportCheck.check(topic, properties, CloudEvent.JSON, event.data());
    }
}
