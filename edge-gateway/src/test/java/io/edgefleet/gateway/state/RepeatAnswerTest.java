package io.edgefleet.gateway.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A repeated command is answered again only once nothing about it waits to be sent, found by index. */
class RepeatAnswerTest {

    @TempDir
    Path dir;

    @Test
    void aRepeatIsAnsweredOnlyWhenNoReportAboutItWaits() {
        try (LocalStore store = new LocalStore(dir)) {
            store.queueCommandReport("e-1", "command.progress", "{}", "cmd-1", null);

            assertFalse(store.queueAnswer("e-2", "command.completed", "{}", "cmd-1", null), "one still waits");
            assertTrue(store.queueAnswer("e-3", "command.completed", "{}", "cmd-2", null), "another command's");
            assertEquals(2, store.pendingReportCount());

            store.pendingReports(10).forEach(report -> store.reportSent(report.seq()));
            assertTrue(store.queueAnswer("e-4", "command.completed", "{}", "cmd-1", null), "sent: answered again");
        }
    }

    @Test
    void theLookUpUsesAnIndexNotAScanOfTheBacklog() throws SQLException {
        new LocalStore(dir).close();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("gateway.db"));
                Statement st = db.createStatement();
                ResultSet plan =
                        st.executeQuery("explain query plan select 1 from report where command_id = 'x' limit 1")) {
            StringBuilder detail = new StringBuilder();
            while (plan.next()) {
                detail.append(plan.getString("detail")).append('\n');
            }
            assertTrue(
                    detail.toString().contains("USING COVERING INDEX report_command_id")
                            || detail.toString().contains("USING INDEX report_command_id"),
                    detail.toString());
        }
    }
}
