package io.edgefleet.kit.outbox;

import io.agroal.api.AgroalDataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The relay's wait between polls, cut short when a transaction that wrote the outbox commits: the outbox table's
 * trigger ({@code V0_5__outbox_notify.sql}) notifies channel {@code outbox_<schema>}, which this listens on with a
 * connection of its own. Polling stays the safety net: a notification missed while the listening connection was
 * being replaced (database restart) only means the next poll publishes the event.
 */
final class OutboxNotifications implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxNotifications.class);

    /** How long one wait on the socket lasts at most: how long a stopping relay may take to notice. */
    private static final Duration SLICE = Duration.ofMillis(500);

    private final AgroalDataSource dataSource;
    private volatile Connection listening;
    private String lastFailure;

    OutboxNotifications(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Waits until the outbox was written (true), {@code timeout} passed or {@code stopping} holds (false). It waits in
     * short slices on the socket (no query), so that a stopping service is not held up: the listening connection
     * cannot be closed from another thread while it waits (the driver holds its lock).
     */
    boolean await(Duration timeout, BooleanSupplier stopping) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(1, timeout.toNanos());
        try {
            PGConnection pg = listener().unwrap(PGConnection.class);
            while (!stopping.getAsBoolean()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                var notifications = pg.getNotifications((int) Math.min(left, SLICE.toMillis()));
                lastFailure = null;
                if (notifications != null && notifications.length > 0) {
                    return true;
                }
            }
            return false;
        } catch (SQLException | RuntimeException e) {
            String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!failure.equals(lastFailure)) {
                LOG.infof("outbox relay: cannot listen for outbox writes (polling meanwhile): %s", failure);
            }
            lastFailure = failure;
            close();
            // then a poll, then listening again
            Thread.sleep(Math.max(0, Math.min(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), 1_000)));
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

    /** Closes the listening connection: only on the thread that waits (see {@link #await}). */
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
