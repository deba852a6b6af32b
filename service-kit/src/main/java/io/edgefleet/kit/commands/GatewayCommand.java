package io.edgefleet.kit.commands;

import io.edgefleet.events.TraceContext;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;

/** A gateway command still open: sent and neither finished nor given up (see {@link GatewayCommands}). */
@Entity
@Table(name = "gateway_command")
public class GatewayCommand extends PanacheEntityBase {
    @Id
    @Column(name = "command_id")
    public String commandId;

    public String tenant;

    @Column(name = "appliance_uid")
    public String applianceUid;

    @Column(name = "event_type")
    public String type;

    public String payload;

    @Column(name = "timeout_secs")
    public long timeoutSeconds;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "last_sent_at")
    public Instant lastSentAt;

    @Column(name = "last_heard_at")
    public Instant lastHeardAt;

    public int sends;

    /** The trace the command was first sent in (W3C), or null: a resend continues it. */
    public String traceparent;

    public String tracestate;

    /** When its sender gives up unless the gateway speaks first: the command must not be delivered after that. */
    /** The trace the command was first sent in, or null. */
    public TraceContext trace() {
        return TraceContext.parse(traceparent, tracestate);
    }

    public Instant deadline() {
        return (lastHeardAt == null ? sentAt : lastHeardAt).plus(Duration.ofSeconds(timeoutSeconds));
    }
}
