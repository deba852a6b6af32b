package io.edgefleet.kit.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One event waiting to be (or already) published. Its id is the CloudEvent id. */
@Entity
@Table(name = "outbox_message")
public class OutboxMessage extends PanacheEntityBase {
    @Id
    public UUID id;

    public String topic;

    @Column(name = "message_key")
    public String key;

    @Column(name = "event_type")
    public String type;

    public String subject;
    public String tenant;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    public String payload;

    @Column(name = "published_at")
    public Instant publishedAt;
    /** Deadline of a gateway command (extension {@code expiresat}); null for other events. */
    @Column(name = "expires_at")
    public Instant expiresAt;
    /** W3C trace context of the writer (CloudEvents extension {@code traceparent}); null outside any trace. */
    public String traceparent;

    public String tracestate;
}
