package io.edgefleet.events;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * CloudEvents Kafka protocol binding, binary content mode: attributes travel as {@code ce_*} headers,
 * the payload is the record value, and the record key is the partition key.
 */
public final class KafkaCloudEvents {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String TENANT = "ce_tenant";
    /** Extension {@code expiresat} (gateway commands): RFC 3339 deadline of the command. */
    public static final String EXPIRES_AT = "ce_expiresat";
    /** Distributed-tracing extension: the W3C {@code traceparent} of the event's trace. */
    public static final String TRACEPARENT = "ce_traceparent";
    /** Distributed-tracing extension: the W3C {@code tracestate}. */
    public static final String TRACESTATE = "ce_tracestate";

    public static final String CONTENT_TYPE = "content-type";

    private KafkaCloudEvents() {}

    public static ProducerRecord<String, byte[]> toRecord(String topic, String key, CloudEvent event) {
        return new ProducerRecord<>(topic, null, key, event.data(), headers(event));
    }

    public static Headers headers(CloudEvent event) {
        Headers headers = new RecordHeaders();
        put(headers, SPEC_VERSION, CloudEvent.SPEC_VERSION);
        put(headers, ID, event.id());
        put(headers, SOURCE, event.source());
        put(headers, TYPE, event.type());
        if (event.subject() != null) {
            put(headers, SUBJECT, event.subject());
        }
        put(headers, TIME, event.time().toString());
        put(headers, TENANT, event.tenant());
        if (event.expiresAt() != null) {
            put(headers, EXPIRES_AT, event.expiresAt().toString());
        }
        if (event.trace() != null) {
            put(headers, TRACEPARENT, event.trace().traceparent());
            if (event.trace().tracestate() != null) {
                put(headers, TRACESTATE, event.trace().tracestate());
            }
        }
        put(headers, CONTENT_TYPE, CloudEvent.JSON);
        return headers;
    }

    public static CloudEvent fromRecord(ConsumerRecord<?, byte[]> record) {
        return fromHeaders(record.headers(), record.value());
    }

    /** @throws InvalidEventException when a required attribute is missing or malformed */
    public static CloudEvent fromHeaders(Headers headers, byte[] value) {
        String specVersion = get(headers, SPEC_VERSION);
        if (!CloudEvent.SPEC_VERSION.equals(specVersion)) {
            throw new InvalidEventException("not a CloudEvent 1.0 (ce_specversion=" + specVersion + ")");
        }
        String contentType = get(headers, CONTENT_TYPE);
        if (contentType != null && !contentType.startsWith(CloudEvent.JSON)) {
            throw new InvalidEventException("unsupported content-type " + contentType);
        }
        if (value == null) {
            throw new InvalidEventException("CloudEvent without data");
        }
        Instant at = CloudEvent.instant(get(headers, TIME), TIME);
        if (at == null) {
            throw new InvalidEventException("CloudEvent attribute 'time' is missing");
        }
        return new CloudEvent(
                get(headers, ID),
                get(headers, SOURCE),
                get(headers, TYPE),
                get(headers, SUBJECT),
                get(headers, TENANT),
                at,
                value,
                CloudEvent.instant(get(headers, EXPIRES_AT), EXPIRES_AT),
                TraceContext.parse(get(headers, TRACEPARENT), get(headers, TRACESTATE))); // malformed: a new trace
    }

    public static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
