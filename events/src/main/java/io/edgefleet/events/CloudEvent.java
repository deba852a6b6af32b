package io.edgefleet.events;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A CloudEvent 1.0 with a JSON payload and the EdgeFleet {@code tenant} extension.
 *
 * @param id      unique per source; consumers deduplicate on it
 * @param source  the producing service, e.g. {@code /edgefleet/appliance-service}
 * @param type    see {@link EventTypes}
 * @param subject the entity the event is about (appliance uid, cluster id, ...)
 * @param tenant  the tenant owning the entity
 * @param data    UTF-8 JSON
 * @param expiresAt extension {@code expiresat}, on gateway commands only: the sender gives up on the command then,
 *                so it must not be delivered later (null: no deadline)
 * @param trace   the distributed-tracing extension ({@code traceparent}, {@code tracestate}): the trace this event is
 *                part of, or null (the receiver starts a new one)
 */
public record CloudEvent(
        String id,
        String source,
        String type,
        String subject,
        String tenant,
        Instant time,
        byte[] data,
        Instant expiresAt,
        TraceContext trace) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    public CloudEvent {
        requireText(id, "id");
        requireText(source, "source");
        requireText(type, "type");
        requireText(tenant, "tenant");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** An event without a deadline. */
    public CloudEvent(String id, String source, String type, String subject, String tenant, Instant time, byte[] data) {
        this(id, source, type, subject, tenant, time, data, null, null);
    }

    /** An event outside any trace. */
    public CloudEvent(
            String id,
            String source,
            String type,
            String subject,
            String tenant,
            Instant time,
            byte[] data,
            Instant expiresAt) {
        this(id, source, type, subject, tenant, time, data, expiresAt, null);
    }

    /** This event with a delivery deadline. */
    public CloudEvent withExpiresAt(Instant deadline) {
        return new CloudEvent(id, source, type, subject, tenant, time, data, deadline, trace);
    }

    /** This event as part of the trace {@code context} (null: of none). */
    public CloudEvent withTrace(TraceContext context) {
        return new CloudEvent(id, source, type, subject, tenant, time, data, expiresAt, context);
    }

    /** Decodes the JSON payload into {@code type}. */
    public <T> T dataAs(Class<T> payloadType) {
        T payload = EventJson.read(data, payloadType);
        if (payload == null) { // JSON null: no event of ours has an empty payload, and every handler reads it
            throw new InvalidEventException("payload is null, not a " + payloadType.getSimpleName());
        }
        return payload;
    }

    /**
     * An RFC 3339 attribute value, or null when absent (shared by the Kafka and MQTT bindings; no Kafka classes here:
     * the gateway runs without them).
     */
    static Instant instant(String value, String attribute) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(attribute + " is not RFC 3339: " + value, e);
        }
    }

    private static void requireText(String value, String attribute) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException("CloudEvent attribute '" + attribute + "' is missing");
        }
    }
}
