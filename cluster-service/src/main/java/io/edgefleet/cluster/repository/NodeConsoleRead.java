package io.edgefleet.cluster.repository;

import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeConsole;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One read of a node's console: the command sent to its gateway and, once it came, the answer. */
@Entity
@Table(name = "node_console_read")
public class NodeConsoleRead extends PanacheEntityBase {

    @Id
    @Column(name = "command_id")
    public String commandId;

    public String tenant;

    @Column(name = "cluster_id")
    public String clusterId;

    @Column(name = "node_id")
    public String nodeId;

    @Column(name = "appliance_uid")
    public String applianceUid;

    public int lines;

    @Column(name = "requested_at")
    public Instant requestedAt;

    /** When the command was last put in the outbox: sent again while a caller waits and the gateway is silent. */
    @Column(name = "last_sent_at")
    public Instant lastSentAt;

    /** The command's deadline: a read still unanswered then is given up, and the next request sends a new one. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "answered_at")
    public Instant answeredAt;

    @Enumerated(EnumType.STRING)
    public CommandResult.Outcome outcome;

    public String message;

    @Enumerated(EnumType.STRING)
    public NodeConsole.Source source;

    /** The lines, oldest first, as a JSON array (text: read by the waiting request straight from the pool). */
    public String output;

    public boolean truncated;
}
