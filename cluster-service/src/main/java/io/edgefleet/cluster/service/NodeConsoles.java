package io.edgefleet.cluster.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.KnownAppliance;
import io.edgefleet.cluster.repository.NodeConsoleRead;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeConsole;
import io.edgefleet.events.payload.NodeConsoleRequest;
import io.edgefleet.kit.outbox.Outbox;
import io.edgefleet.kit.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Reads of a node's console through its gateway: a {@code read-node-console} command (through the outbox, like every
 * gateway command) and the gateway's {@code node.console} answer, which any instance of the service may consume — so
 * the answer meets the waiting request in the database, not in memory. A request waits a few seconds for it; a
 * caller told to come back (202) joins the read still open (or just answered) for the same node and line count
 * instead of sending another; an open read whose gateway stays silent is sent again when asked for.
 */
@ApplicationScoped
public class NodeConsoles {

    private static final Logger LOG = Logger.getLogger(NodeConsoles.class);
    static final Duration POLL = Duration.ofMillis(200);
    /** Answered reads are kept this long (a late caller of a 202 may still find it), then removed. */
    static final Duration KEPT = Duration.ofDays(1);

    private static final int MAX_MESSAGE = 2000;
    /** An answer this recent is given to whoever asks for the same lines (the caller of a 202 asking again). */
    static final Duration FRESH = Duration.ofSeconds(5);
    /**
     * An open read is sent again when a caller asks for it and the gateway has been silent this long: a read that was
     * queued for an appliance while its gateway was away may not reach it (node commands are resent likewise).
     */
    static final Duration RESEND_AFTER = Duration.ofSeconds(5);

    @Inject
    Outbox outbox;

    @Inject
    ClusterConfig config;

    @Inject
    Pool pool;

    /** A read as it stands: {@code answeredAt} null while the gateway has not answered. */
    public record ReadState(
            String commandId,
            String clusterId,
            String nodeId,
            Instant requestedAt,
            Instant answeredAt,
            CommandResult.Outcome outcome,
            String message,
            NodeConsole.Source source,
            List<String> lines,
            boolean truncated) {

        public boolean answered() {
            return answeredAt != null;
        }
    }

    /**
     * Sends a read of the node's last {@code lines} console lines to its gateway, or joins the one still open.
     *
     * @return the read's command id
     * @throws ProblemException 404 for another tenant's or an unknown cluster or node, 409 for a node without a console
     *                          (not created yet, being deleted), 503 when its appliance is not reporting
     */
    @WithTransaction
    public Uni<String> open(String tenant, String clusterId, String nodeId, int lines) {
        Instant now = Instant.now();
        Uni<Cluster> cluster = Cluster.<Cluster>find("id = ?1 and tenant = ?2", clusterId, tenant)
                .firstResult();
        return cluster.chain(c -> {
            if (c == null) {
                return Uni.createFrom().failure(ProblemException.notFound("cluster", clusterId));
            }
            Uni<ClusterNode> found = ClusterNode.<ClusterNode>find(
                            "clusterId = ?1 and nodeId = ?2 and stage <> ?3", clusterId, nodeId, NodeStage.DELETED)
                    .firstResult();
            return found.chain(node -> {
                if (node == null) {
                    return Uni.createFrom().failure(ProblemException.notFound("node", nodeId));
                }
                Uni<KnownAppliance> appliance = KnownAppliance.<KnownAppliance>find(
                                "tenant = ?1 and uid = ?2", tenant, node.applianceUid)
                        .firstResult();
                return appliance.chain(a -> {
                    ConsoleAccess.Decision decision = ConsoleAccess.decide(node, a == null ? null : a.status);
                    return switch (decision.verdict()) {
                        case NO_CONSOLE ->
                            Uni.createFrom().failure(ProblemException.conflict("node", decision.reason()));
                        case APPLIANCE_UNREACHABLE ->
                            Uni.createFrom().failure(new ApplianceUnreachable(decision.reason()));
                        case READ -> openRead(tenant, node, lines, now);
                    };
                });
            });
        });
    }

    private Uni<String> openRead(String tenant, ClusterNode node, int lines, Instant now) {
        // the newest read of these lines: joined while open, or when answered just now (the caller of a 202 who asks
        // again gets the answer of the read it waited on, not a new one)
        return NodeConsoleRead.<NodeConsoleRead>find(
                        "tenant = ?1 and clusterId = ?2 and nodeId = ?3 and lines = ?4 and requestedAt > ?5"
                                + " order by requestedAt desc",
                        tenant,
                        node.clusterId,
                        node.nodeId,
                        lines,
                        now.minus(config.consoleReadTimeout()))
                .firstResult()
                .chain(last -> {
                    if (last != null && last.answeredAt != null && last.answeredAt.isAfter(now.minus(FRESH))) {
                        return Uni.createFrom().item(last.commandId);
                    }
                    if (last != null && last.answeredAt == null && last.expiresAt.isAfter(now)) {
                        if (last.lastSentAt.isAfter(now.minus(RESEND_AFTER))) {
                            return Uni.createFrom().item(last.commandId);
                        }
                        // silent so far: send it again (same id; the gateway reads again, the first answer counts)
                        last.lastSentAt = now;
                        return send(last).replaceWith(last.commandId);
                    }
                    NodeConsoleRead read = new NodeConsoleRead();
                    read.commandId = UUID.randomUUID().toString();
                    read.tenant = tenant;
                    read.clusterId = node.clusterId;
                    read.nodeId = node.nodeId;
                    read.applianceUid = node.applianceUid;
                    read.lines = lines;
                    read.requestedAt = now;
                    read.lastSentAt = now;
                    read.expiresAt = now.plus(config.consoleReadTimeout());
                    return NodeConsoleRead.delete("requestedAt < ?1", now.minus(KEPT))
                            .chain(() -> read.persist())
                            .chain(() -> send(read))
                            .replaceWith(read.commandId);
                });
    }

    private Uni<?> send(NodeConsoleRead read) {
        NodeConsoleRequest request = new NodeConsoleRequest(
                read.commandId, read.clusterId, read.nodeId, read.lines, NodeConsoleRequest.MAX_BYTES);
        return outbox.add(
                Topics.GATEWAY_COMMANDS,
                read.applianceUid,
                EventTypes.READ_NODE_CONSOLE,
                read.applianceUid,
                read.tenant,
                request,
                read.expiresAt);
    }

    /** Waits until the read was answered or {@code wait} passed; how it stands then. */
    public Uni<ReadState> await(String commandId, Duration wait) {
        return await(commandId, Instant.now().plus(wait));
    }

    private Uni<ReadState> await(String commandId, Instant until) {
        return state(commandId)
                .chain(s -> s == null || s.answered() || !Instant.now().isBefore(until)
                        ? Uni.createFrom().item(s)
                        : Uni.createFrom()
                                .voidItem()
                                .onItem()
                                .delayIt()
                                .by(POLL)
                                .chain(() -> await(commandId, until)));
    }

    private Uni<ReadState> state(String commandId) {
        // the pool, not a Hibernate session: the polls run off the request's context, on a timer
        return pool.preparedQuery("select cluster_id, node_id, requested_at, answered_at, outcome, message, source,"
                        + " output, truncated from node_console_read where command_id = $1")
                .execute(Tuple.of(commandId))
                .map(rows -> {
                    for (Row row : rows) {
                        return new ReadState(
                                commandId,
                                row.getString("cluster_id"),
                                row.getString("node_id"),
                                instant(row.getOffsetDateTime("requested_at")),
                                instant(row.getOffsetDateTime("answered_at")),
                                enumOf(CommandResult.Outcome.class, row.getString("outcome")),
                                row.getString("message"),
                                enumOf(NodeConsole.Source.class, row.getString("source")),
                                lines(row.getString("output")),
                                Boolean.TRUE.equals(row.getBoolean("truncated")));
                    }
                    return null;
                });
    }

    /**
     * The gateway's answer: recorded on its read when it comes from the appliance the read was sent to (the report's
     * tenant and uid are the broker-verified ones); a repeat or a stranger's answer changes nothing. Runs in the
     * report's inbox transaction.
     */
    public Uni<Void> onAnswer(String tenant, String applianceUid, NodeConsole answer) {
        return NodeConsoleRead.<NodeConsoleRead>findById(answer.commandId()).map(read -> {
            if (read == null
                    || read.answeredAt != null
                    || !read.tenant.equals(tenant)
                    || !read.applianceUid.equals(applianceUid)) {
                if (read != null && read.answeredAt == null) {
                    LOG.warnf(
                            "console answer %s from %s/%s ignored: the read went to another appliance",
                            answer.commandId(), tenant, applianceUid);
                }
                return null;
            }
            read.answeredAt = Instant.now();
            read.outcome = answer.outcome() == null ? CommandResult.Outcome.FAILED : answer.outcome();
            read.message = answer.message() == null
                    ? null
                    : answer.message()
                            .substring(0, Math.min(MAX_MESSAGE, answer.message().length()));
            read.source = answer.source();
            List<String> lines = answer.lines() == null ? List.of() : answer.lines();
            read.output = new String(
                    EventJson.write(lines.subList(Math.max(0, lines.size() - read.lines), lines.size())),
                    StandardCharsets.UTF_8);
            read.truncated = answer.truncated();
            return null;
        });
    }

    /** 503: the node's appliance is not reporting, so no gateway would answer. */
    public static final class ApplianceUnreachable extends RuntimeException {
        public ApplianceUnreachable(String message) {
            super(message);
        }
    }

    private static List<String> lines(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return EventJson.mapper().readValue(json, new TypeReference<List<String>>() {});
        } catch (IOException e) {
            throw new IllegalStateException("unreadable console lines in the database", e);
        }
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value) {
        return value == null ? null : Enum.valueOf(type, value);
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
