package io.edgefleet.gateway.state;

import io.edgefleet.events.TraceContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's durable state in one SQLite file (WAL, synchronous=FULL: a committed row survives a
 * crash): the commands it was given and how they ended, the reports not yet sent, in order, and whether each
 * node should run (its {@linkplain NodeIntent intent}, from the last node command that succeeded).
 * One connection, used under this object's lock: the gateway's writes are few and small.
 */
public final class LocalStore implements AutoCloseable {

    public enum CommandState {
        /** Recorded, not started. */
        RECEIVED,
        /** Started; after a crash it is run again (node operations are idempotent). */
        RUNNING,
        /** Ended; {@code result} holds the answer for any repeat. */
        DONE
    }

    /** A command as recorded. */
    /** @param trace the trace the command came in (CloudEvents extension {@code traceparent}); null: none */
    public record StoredCommand(
            String commandId, String type, String payload, CommandState state, String result, TraceContext trace) {}

    /**
     * What the management plane last made of a node: RUNNING after a create or start, STOPPED after a stop (a
     * deleted node has no intent). Kept apart from the commands, which are forgotten after days: the intent lasts
     * as long as the node.
     */
    public enum NodeIntent {
        RUNNING,
        STOPPED
    }

    /** A report waiting to be sent. */
    /** @param trace the trace it belongs to (a command's result: the command's run); null: none */
    public record PendingReport(
            long seq, String eventId, String type, String payload, Instant createdAt, TraceContext trace) {}

    private final Connection db;

    public LocalStore(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
            db = DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve("gateway.db"));
            try (Statement st = db.createStatement()) {
                st.execute("pragma journal_mode=WAL");
                st.execute("pragma synchronous=FULL");
                st.execute("pragma busy_timeout=5000");
                st.execute("""
                        create table if not exists command (
                            command_id  text primary key,
                            type        text not null,
                            payload     text not null,
                            state       text not null,
                            result      text,
                            received_at text not null,
                            finished_at text)""");
                st.execute("""
                        create table if not exists report (
                            seq         integer primary key autoincrement,
                            event_id    text not null unique,
                            type        text not null,
                            payload     text not null,
                            created_at  text not null,
                            replaceable integer not null default 0)""");
                st.execute("""
                        create table if not exists node_intent (
                            cluster_id  text not null,
                            node_id     text not null,
                            intent      text not null,
                            updated_at  text not null,
                            primary key (cluster_id, node_id))""");
                // the trace a command came in and its reports belong to (CloudEvents extension traceparent): added
                // to the tables of a gateway installed before traces
                addColumnIfMissing(st, "command", "traceparent");
                addColumnIfMissing(st, "command", "tracestate");
                addColumnIfMissing(st, "report", "traceparent");
                addColumnIfMissing(st, "report", "tracestate");
                // which command a progress or result report is about: a repeat of the command is not answered again
                // while one of them still waits (see queueAnswer)
                addColumnIfMissing(st, "report", "command_id");
                // queueAnswer looks a command's waiting reports up on every repeat: without it, a scan of the
                // whole backlog at the moment the backlog is longest
                st.execute("create index if not exists report_command_id on report (command_id)");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the gateway state in " + stateDir + ": " + e.getMessage(), e);
        }
    }

    private static void addColumnIfMissing(Statement st, String table, String column) throws SQLException {
        try (ResultSet rs = st.executeQuery("pragma table_info(" + table + ")")) {
            while (rs.next()) {
                if (column.equals(rs.getString("name"))) {
                    return;
                }
            }
        }
        st.execute("alter table " + table + " add column " + column + " text");
    }

    /** Records a command unless its id is known. Returns the recorded command (the earlier one for a repeat). */
    public synchronized StoredCommand recordCommand(String commandId, String type, String payload) {
        return recordCommand(commandId, type, payload, null);
    }

    /** Like {@link #recordCommand(String, String, String)}, with the trace the command came in. */
    public synchronized StoredCommand recordCommand(String commandId, String type, String payload, TraceContext trace) {
        try {
            Optional<StoredCommand> known = command(commandId);
            if (known.isPresent()) {
                return known.get();
            }
            try (PreparedStatement st = db.prepareStatement(
                    "insert into command (command_id, type, payload, state, received_at, traceparent, tracestate)"
                            + " values (?, ?, ?, ?, ?, ?, ?)")) {
                st.setString(1, commandId);
                st.setString(2, type);
                st.setString(3, payload);
                st.setString(4, CommandState.RECEIVED.name());
                st.setString(5, Instant.now().toString());
                st.setString(6, trace == null ? null : trace.traceparent());
                st.setString(7, trace == null ? null : trace.tracestate());
                st.executeUpdate();
            }
            return new StoredCommand(commandId, type, payload, CommandState.RECEIVED, null, trace);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized Optional<StoredCommand> command(String commandId) {
        try (PreparedStatement st = db.prepareStatement(
                "select command_id, type, payload, state, result, traceparent, tracestate from command"
                        + " where command_id = ?")) {
            st.setString(1, commandId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(storedCommand(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Commands not finished, oldest first (after a restart: the ones to run again). */
    public synchronized List<StoredCommand> unfinishedCommands() {
        try (PreparedStatement st = db.prepareStatement(
                "select command_id, type, payload, state, result, traceparent, tracestate from command"
                        + " where state <> 'DONE' order by rowid")) {
            List<StoredCommand> commands = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    commands.add(storedCommand(rs));
                }
            }
            return commands;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Forgets finished commands that ended before {@code before}, so the table does not grow for the appliance's
     * whole life. Safe once no copy of such a command can arrive any more: every command carries a deadline (at
     * most hours), after which neither the bridge nor the broker delivers it. Returns how many went.
     */
    public synchronized int purgeFinishedCommands(Instant before) {
        try (PreparedStatement st =
                db.prepareStatement("delete from command where state = 'DONE' and finished_at < ?")) {
            st.setString(1, before.toString());
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized void markRunning(String commandId) {
        update("update command set state = 'RUNNING' where command_id = ? and state = 'RECEIVED'", commandId);
    }

    /** Records how the command ended and queues its result report, in one transaction. */
    public synchronized void finish(String commandId, String result, String eventId, String reportType) {
        finish(commandId, result, eventId, reportType, null);
    }

    /** Like {@link #finish(String, String, String, String)}, the report in the trace {@code trace}. */
    public synchronized void finish(
            String commandId, String result, String eventId, String reportType, TraceContext trace) {
        inTransaction(() -> {
            try (PreparedStatement st = db.prepareStatement(
                    "update command set state = 'DONE', result = ?, finished_at = ? where command_id = ?")) {
                st.setString(1, result);
                st.setString(2, Instant.now().toString());
                st.setString(3, commandId);
                st.executeUpdate();
            }
            insertReport(eventId, reportType, result, false, trace, commandId);
        });
    }

    /**
     * Queues a report. A replaceable report (a heartbeat) replaces the unsent replaceable one before
     * it: after a long time offline only the newest heartbeat is worth sending.
     */
    public synchronized void queueReport(String eventId, String type, String payload, boolean replaceable) {
        queueReport(eventId, type, payload, replaceable, null);
    }

    /** Like {@link #queueReport(String, String, String, boolean)}, in the trace {@code trace} (null: none). */
    public synchronized void queueReport(
            String eventId, String type, String payload, boolean replaceable, TraceContext trace) {
        inTransaction(() -> {
            if (replaceable) {
                try (Statement st = db.createStatement()) {
                    st.executeUpdate("delete from report where replaceable = 1");
                }
            }
            insertReport(eventId, type, payload, replaceable, trace, null);
        });
    }

    /** Queues a report about command {@code commandId} (its progress), in the trace {@code trace} (null: none). */
    public synchronized void queueCommandReport(
            String eventId, String type, String payload, String commandId, TraceContext trace) {
        inTransaction(() -> insertReport(eventId, type, payload, false, trace, Objects.requireNonNull(commandId)));
    }

    /**
     * Queues the answer to a repeat of command {@code commandId} unless a report about that command still waits to
     * be sent: that one reaches the sender anyway, and under a backlog every repeat answered again would only make
     * the backlog longer (the sender repeats a command it heard nothing about, and hears nothing because the answers
     * queue up behind each other). Returns whether the answer was queued.
     */
    public synchronized boolean queueAnswer(
            String eventId, String type, String payload, String commandId, TraceContext trace) {
        try (PreparedStatement st = db.prepareStatement("select 1 from report where command_id = ? limit 1")) {
            st.setString(1, commandId);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        queueCommandReport(eventId, type, payload, commandId, trace);
        return true;
    }

    /** Records what a node command that succeeded made of the node; null forgets it (the node was deleted). */
    public synchronized void nodeIntent(String clusterId, String nodeId, NodeIntent intent) {
        String sql = intent == null
                ? "delete from node_intent where cluster_id = ? and node_id = ?"
                : "insert into node_intent (cluster_id, node_id, intent, updated_at) values (?, ?, ?, ?)"
                        + " on conflict (cluster_id, node_id) do update set intent = excluded.intent,"
                        + " updated_at = excluded.updated_at";
        try (PreparedStatement st = db.prepareStatement(sql)) {
            st.setString(1, clusterId);
            st.setString(2, nodeId);
            if (intent != null) {
                st.setString(3, intent.name());
                st.setString(4, Instant.now().toString());
            }
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Forgets the intents of every node of the cluster (it was cleaned up). */
    public synchronized void forgetClusterIntents(String clusterId) {
        try (PreparedStatement st = db.prepareStatement("delete from node_intent where cluster_id = ?")) {
            st.setString(1, clusterId);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every recorded intent, by {@code clusterId + "/" + nodeId}. */
    public synchronized Map<String, NodeIntent> nodeIntents() {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select cluster_id, node_id, intent from node_intent")) {
            Map<String, NodeIntent> intents = new HashMap<>();
            while (rs.next()) {
                intents.put(rs.getString(1) + "/" + rs.getString(2), NodeIntent.valueOf(rs.getString(3)));
            }
            return intents;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The oldest unsent reports, in the order they were queued. */
    public synchronized List<PendingReport> pendingReports(int limit) {
        try (PreparedStatement st = db.prepareStatement(
                "select seq, event_id, type, payload, created_at, traceparent, tracestate from report order by seq"
                        + " limit ?")) {
            st.setInt(1, limit);
            List<PendingReport> reports = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    reports.add(new PendingReport(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            Instant.parse(rs.getString(5)),
                            TraceContext.parse(rs.getString(6), rs.getString(7))));
                }
            }
            return reports;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized void reportSent(long seq) {
        try (PreparedStatement st = db.prepareStatement("delete from report where seq = ?")) {
            st.setLong(1, seq);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized long pendingReportCount() {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from report")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When the oldest report still waiting was queued. */
    public synchronized Optional<Instant> oldestPendingReport() {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select created_at from report order by seq limit 1")) {
            return rs.next() ? Optional.of(Instant.parse(rs.getString(1))) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many commands were received and are not done. */
    public synchronized long unfinishedCommandCount() {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from command where state <> 'DONE'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void insertReport(
            String eventId, String type, String payload, boolean replaceable, TraceContext trace, String commandId)
            throws SQLException {
        try (PreparedStatement st = db.prepareStatement(
                "insert into report (event_id, type, payload, created_at, replaceable, traceparent, tracestate,"
                        + " command_id) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setString(8, commandId);
            st.setString(6, trace == null ? null : trace.traceparent());
            st.setString(7, trace == null ? null : trace.tracestate());
            st.setString(1, eventId);
            st.setString(2, type);
            st.setString(3, payload);
            st.setString(4, Instant.now().toString());
            st.setInt(5, replaceable ? 1 : 0);
            st.executeUpdate();
        }
    }

    private void update(String sql, String commandId) {
        try (PreparedStatement st = db.prepareStatement(sql)) {
            st.setString(1, commandId);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    private void inTransaction(Work work) {
        try {
            db.setAutoCommit(false);
            try {
                work.run();
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StoredCommand storedCommand(ResultSet rs) throws SQLException {
        return new StoredCommand(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                CommandState.valueOf(rs.getString(4)),
                rs.getString(5),
                TraceContext.parse(rs.getString(6), rs.getString(7)));
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
