package io.edgefleet.kit.outbox;

import io.agroal.api.AgroalDataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The relay's wait between polls, cut short when a transaction that wrote the outbox commits: the outbox table's
 * trigger ({@code V0_5__outbox_notify.sql}) notifies channel {@code outbox_<schema>}, which this listens on with a
 * connection of its own. Polling stays the safety net: a notification missed while the listening connection was
 * being replaced (database restart) only means the next poll publishes the event.
 */
final class OutboxNotifications implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxNotifications.class);

    private static final Duration RETRY_LISTEN = Duration.ofSeconds(1);

    private final AgroalDataSource dataSource;
    private volatile Connection listening;
    private String lastFailure;

    OutboxNotifications(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Waits until the outbox was written (true) or {@code timeout} passed (false). */
    boolean await(Duration timeout) throws InterruptedException {
        long millis = Math.max(1, timeout.toMillis());
        try {
            PGConnection pg = listener().unwrap(PGConnection.class);
            var notifications = pg.getNotifications((int) Math.min(millis, Integer.MAX_VALUE));
            lastFailure = null;
            return notifications != null && notifications.length > 0;
        } catch (SQLException | RuntimeException e) {
            String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!failure.equals(lastFailure)) {
                LOG.infof("outbox relay: cannot listen for outbox writes (polling meanwhile): %s", failure);
            }
            lastFailure = failure;
            close();
            Thread.sleep(Math.min(millis, RETRY_LISTEN.toMillis())); // then a poll, then listening again
            return false;
        }
    }

    private Connection listener() throws SQLException {
        Connection c = listening;
        if (c == null || c.isClosed()) {
            c = dataSource.getConnection();
            try (Statement st = c.createStatement()) {
                String schema;
                try (ResultSet rs = st.executeQuery("select current_schema()")) {
                    rs.next();
                    schema = rs.getString(1);
                }
                st.execute("listen \"outbox_" + schema.replace("\"", "") + "\"");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            listening = c;
        }
        return c;
    }

    @Override
    public void close() {
        Connection c = listening;
        listening = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // it is being given up
            }
        }
    }
}
