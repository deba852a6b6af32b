package io.edgefleet.gateway.commands;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.TraceContext;
import io.edgefleet.gateway.metrics.GatewayMetrics;
import io.edgefleet.gateway.reports.ReportOutbox;
import io.edgefleet.gateway.state.LocalStore;
import io.edgefleet.gateway.tracing.GatewayTracing;
import io.edgefleet.testsupport.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command's trace context reaches its progress and result reports (stored with them in the local outbox, so a
 * restart keeps it); a command without one gives reports without one (a new trace at the service).
 */
class CommandTraceTest {

    private static final TraceContext COMMAND =
            new TraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);

    private static List<LocalStore.PendingReport> run(Path state, CloudEvent command, GatewayTracing tracing) {
        LocalStore store = new LocalStore(state);
        ReportOutbox reports = new ReportOutbox(
                store, null, new GatewayMetrics("test", "online"), "app-1"); // not started: reports stay in the store
        CommandExecutor executor = new CommandExecutor(
                        store,
                        new CommandExecutorStopTest.RecordingDriver(false),
                        null,
                        reports,
                        s -> s,
                        new GatewayMetrics("test", "online"),
                        "app-1",
                        tracing)
                .start();
        executor.accept(command);
        Eventually.holds(
                Duration.ofSeconds(10),
                Duration.ofMillis(50),
                () -> store.unfinishedCommands().isEmpty()
                        && store.pendingReports(100).stream()
                                .anyMatch(r -> EventTypes.COMMAND_COMPLETED.equals(r.type())));
        executor.close();
        tracing.close();
        List<LocalStore.PendingReport> pending = store.pendingReports(100);
        store.close();
        return pending;
    }

    @Test
    void withoutABackendTheResultCarriesTheCommandsTraceContextUnchanged(@TempDir Path state) {
        List<LocalStore.PendingReport> reports =
                run(state, CommandExecutorStopTest.create("n1").withTrace(COMMAND), GatewayTracing.of(null, "app-1"));
        assertEquals(3, reports.size(), "accepted, started, completed: " + reports);
        reports.forEach(r -> assertEquals(COMMAND, r.trace(), r.type()));
    }

    @Test
    void withABackendTheRunIsAChildSpanOfTheCommandAndTheResultHangsBelowIt(@TempDir Path state) {
        // nothing listens on port 9: the spans are lost, quietly, and the command runs all the same
        List<LocalStore.PendingReport> reports = run(
                state,
                CommandExecutorStopTest.create("n1").withTrace(COMMAND),
                GatewayTracing.of("http://127.0.0.1:9/api/v2/spans", "app-1"));
        LocalStore.PendingReport result = reports.stream()
                .filter(r -> EventTypes.COMMAND_COMPLETED.equals(r.type()))
                .findFirst()
                .orElseThrow();
        assertEquals(COMMAND.traceId(), result.trace().traceId(), "the same trace");
        assertNotEquals(COMMAND.parentSpanId(), result.trace().parentSpanId(), "the run's own span");
        assertEquals(COMMAND, reports.get(0).trace(), "accepted: before the run, in the relay's span");
    }

    @Test
    void aCommandWithoutTraceContextGivesReportsWithoutOne(@TempDir Path state) {
        List<LocalStore.PendingReport> reports =
                run(state, CommandExecutorStopTest.create("n1"), GatewayTracing.of(null, "app-1"));
        assertTrue(reports.size() >= 1);
        reports.forEach(r -> assertNull(r.trace(), r.type()));
    }

    @Test
    void theStateOfAGatewayInstalledBeforeTracesIsMigratedInPlace(@TempDir Path state) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + state.resolve("gateway.db"));
                Statement st = db.createStatement()) {
            st.execute("create table command (command_id text primary key, type text not null, payload text not null,"
                    + " state text not null, result text, received_at text not null, finished_at text)");
            st.execute("create table report (seq integer primary key autoincrement, event_id text not null unique,"
                    + " type text not null, payload text not null, created_at text not null,"
                    + " replaceable integer not null default 0)");
            st.execute("insert into report (event_id, type, payload, created_at) values"
                    + " ('e1', 'edgefleet.gateway.heartbeat.v1', '{}', '2026-01-01T00:00:00Z')");
        }
        try (LocalStore store = new LocalStore(state)) {
            List<LocalStore.PendingReport> reports = store.pendingReports(10);
            assertEquals(1, reports.size(), "the report queued before the upgrade is still there");
            assertNull(reports.get(0).trace());
            store.recordCommand("c1", EventTypes.CREATE_NODE, "{}", COMMAND);
            assertEquals(COMMAND, store.command("c1").orElseThrow().trace());
        }
        try (LocalStore again = new LocalStore(state)) { // and opened again: nothing to add twice
            assertEquals(COMMAND, again.command("c1").orElseThrow().trace());
        }
    }
}
