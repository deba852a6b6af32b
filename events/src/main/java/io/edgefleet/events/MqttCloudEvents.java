package io.edgefleet.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudEvents MQTT protocol binding, MQTT 5 binary content mode: the attributes travel as user properties named
 * like the attributes, the content type in the PUBLISH's Content Type property, the data as the payload. Kept
 * free of any MQTT client library: callers copy the map into their client's user properties.
 */
public final class MqttCloudEvents {

    public static final String SPEC_VERSION = "specversion";
    public static final String ID = "id";
    public static final String SOURCE = "source";
    public static final String TYPE = "type";
    public static final String SUBJECT = "subject";
    public static final String TIME = "time";
    public static final String TENANT = "tenant";
    public static final String EXPIRES_AT = "expiresat";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private MqttCloudEvents() {}

    /** The user properties of {@code event}, in a stable order. */
    public static Map<String, String> properties(CloudEvent event) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(SPEC_VERSION, CloudEvent.SPEC_VERSION);
        p.put(ID, event.id());
        p.put(SOURCE, event.source());
        p.put(TYPE, event.type());
        p.put(TIME, event.time().toString());
        if (event.subject() != null) {
            p.put(SUBJECT, event.subject());
        }
        p.put(TENANT, event.tenant());
        if (event.expiresAt() != null) {
            p.put(EXPIRES_AT, event.expiresAt().toString());
        }
        if (event.trace() != null) {
            p.put(TRACEPARENT, event.trace().traceparent());
            if (event.trace().tracestate() != null) {
                p.put(TRACESTATE, event.trace().tracestate());
            }
        }
        return p;
    }

    /**
     * Reads an event. For a user property given more than once the last one counts (the map the caller builds).
     *
     * @throws InvalidEventException when an attribute is missing or malformed
     */
    public static CloudEvent fromProperties(Map<String, String> properties, String contentType, byte[] payload) {
        if (!CloudEvent.SPEC_VERSION.equals(properties.get(SPEC_VERSION))) {
            throw new InvalidEventException("not a CloudEvent 1.0 (specversion=" + properties.get(SPEC_VERSION) + ")");
        }
        if (contentType != null && !contentType.startsWith(CloudEvent.JSON)) {
            throw new InvalidEventException("unsupported content type " + contentType);
        }
        if (payload == null) {
            throw new InvalidEventException("CloudEvent without data");
        }
        Instant time = CloudEvent.instant(properties.get(TIME), TIME);
        if (time == null) {
            throw new InvalidEventException("CloudEvent attribute 'time' is missing");
        }
        return new CloudEvent(
                properties.get(ID),
                properties.get(SOURCE),
                properties.get(TYPE),
                properties.get(SUBJECT),
                properties.get(TENANT),
                time,
                payload,
                CloudEvent.instant(properties.get(EXPIRES_AT), EXPIRES_AT),
                TraceContext.parse(properties.get(TRACEPARENT), properties.get(TRACESTATE))); // malformed: a new trace
    }
}
