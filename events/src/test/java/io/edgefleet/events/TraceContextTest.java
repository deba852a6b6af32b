package io.edgefleet.events;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The CloudEvents distributed-tracing extension in both bindings, and what a malformed context from outside does. */
class TraceContextTest {

    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static CloudEvent event(TraceContext trace) {
        return new CloudEvent(
                        "e1",
                        "/edgefleet/cluster-service",
                        EventTypes.CREATE_NODE,
                        "uid-1",
                        "tenant-a",
                        Instant.parse("2026-01-01T00:00:00Z"),
                        "{}".getBytes(StandardCharsets.UTF_8))
                .withTrace(trace);
    }

    private static CloudEvent throughKafka(CloudEvent event) {
        ProducerRecord<String, byte[]> sent = KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, "uid-1", event);
        return KafkaCloudEvents.fromRecord(received(sent.headers().toArray(), sent.value()));
    }

    private static ConsumerRecord<String, byte[]> received(org.apache.kafka.common.header.Header[] headers, byte[] v) {
        return new ConsumerRecord<>(
                Topics.GATEWAY_COMMANDS,
                0,
                0L,
                0L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                "uid-1",
                v,
                new RecordHeaders(headers),
                Optional.empty());
    }

    @Test
    void traceparentAndTracestateTravelAsCeHeadersAndMqttUserProperties() {
        TraceContext trace = new TraceContext(PARENT, "edgefleet=1,vendor=x");
        ProducerRecord<String, byte[]> record =
                KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, "uid-1", event(trace));
        assertEquals(PARENT, KafkaCloudEvents.get(record.headers(), "ce_traceparent"));
        assertEquals("edgefleet=1,vendor=x", KafkaCloudEvents.get(record.headers(), "ce_tracestate"));
        assertEquals(trace, throughKafka(event(trace)).trace());

        Map<String, String> properties = MqttCloudEvents.properties(event(trace));
        assertEquals(PARENT, properties.get("traceparent"));
        assertEquals("edgefleet=1,vendor=x", properties.get("tracestate"));
        CloudEvent back = MqttCloudEvents.fromProperties(properties, CloudEvent.JSON, "{}".getBytes());
        assertEquals(trace, back.trace());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", back.trace().traceId());
        assertEquals("00f067aa0ba902b7", back.trace().parentSpanId());
    }

    @Test
    void anEventWithoutTheExtensionHasNoTraceAndNoHeader() {
        ProducerRecord<String, byte[]> record =
                KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, "uid-1", event(null));
        assertNull(record.headers().lastHeader("ce_traceparent"));
        assertNull(throughKafka(event(null)).trace());
        assertEquals(false, MqttCloudEvents.properties(event(null)).containsKey("traceparent"));
    }

    @Test
    void aMalformedTraceparentFromOutsideIsIgnoredNeverAnError() {
        for (String bad : new String[] {
            "",
            "garbage",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", // no flags
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", // upper case
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // zero parent id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // forbidden version
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 has exactly four fields
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0\u00e9"
        }) {
            ProducerRecord<String, byte[]> record =
                    KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, "uid-1", event(null));
            KafkaCloudEvents.put(record.headers(), KafkaCloudEvents.TRACEPARENT, bad);
            KafkaCloudEvents.put(record.headers(), KafkaCloudEvents.TRACESTATE, "a=b");
            CloudEvent read =
                    KafkaCloudEvents.fromRecord(received(record.headers().toArray(), record.value()));
            assertNull(read.trace(), bad);
            assertEquals("e1", read.id());

            Map<String, String> properties = new java.util.HashMap<>(MqttCloudEvents.properties(event(null)));
            properties.put(MqttCloudEvents.TRACEPARENT, bad);
            assertNull(
                    MqttCloudEvents.fromProperties(properties, CloudEvent.JSON, "{}".getBytes())
                            .trace(),
                    bad);
        }
        // a later version may add fields; a sane traceparent with a silly tracestate keeps the parent only
        assertEquals(
                "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future",
                TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future", null)
                        .traceparent());
        assertNull(TraceContext.parse(PARENT, "x".repeat(600)).tracestate());
        assertNull(TraceContext.parse(PARENT, "bad\nstate").tracestate());
    }
}
