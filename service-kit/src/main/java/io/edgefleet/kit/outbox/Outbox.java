package io.edgefleet.kit.outbox;

import io.edgefleet.events.EventJson;
import io.edgefleet.events.TraceContext;
import io.edgefleet.tracing.Traces;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Records an event in the caller's transaction. Call it inside {@code @WithTransaction} (or
 * {@code Panache.withTransaction}) next to the state change: both commit, or neither does.
 */
@ApplicationScoped
public class Outbox {

    /**
     * @param key     Kafka record key: the aggregate id (entity topics) or appliance uid (gateway topics)
     * @param subject the entity the event is about
     * @return the event id
     */
    public Uni<UUID> add(String topic, String key, String type, String subject, String tenant, Object payload) {
        return add(topic, key, type, subject, tenant, payload, null);
    }

    /** @param expiresAt the event's deadline (gateway commands), published as CloudEvents extension {@code expiresat} */
    public Uni<UUID> add(
            String topic, String key, String type, String subject, String tenant, Object payload, Instant expiresAt) {
        return addJson(
                topic,
                key,
                type,
                subject,
                tenant,
                new String(EventJson.write(payload), StandardCharsets.UTF_8),
                expiresAt);
    }

    /** Like {@link #add}, with the payload already JSON; the event joins the current trace. */
    public Uni<UUID> addJson(
            String topic,
            String key,
            String type,
            String subject,
            String tenant,
            String payloadJson,
            Instant expiresAt) {
        // the request's (or the handled event's) span: the event joins its trace
        return addJson(topic, key, type, subject, tenant, payloadJson, expiresAt, Traces.current());
    }

    /**
     * Like {@link #add}, with the payload already JSON, in trace {@code trace} (null: a new trace): a command sent
     * again as it was stored, in the trace it was first sent in.
     */
    public Uni<UUID> addJson(
            String topic,
            String key,
            String type,
            String subject,
            String tenant,
            String payloadJson,
            Instant expiresAt,
            TraceContext trace) {
        OutboxMessage message = new OutboxMessage();
        message.id = UUID.randomUUID();
        message.topic = topic;
        message.key = key;
        message.type = type;
        message.subject = subject;
        message.tenant = tenant;
        message.occurredAt = Instant.now();
        message.payload = payloadJson;
        message.expiresAt = expiresAt;
        if (trace != null) {
            message.traceparent = trace.traceparent();
            message.tracestate = trace.tracestate();
        }
        return message.persist().replaceWith(message.id);
    }
}
