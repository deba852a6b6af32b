package io.edgefleet.kit.scheduling;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.kit.outbox.OutboxConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Runs a scheduled job on one instance of a service at a time, however many instances run: a run first takes the
 * PostgreSQL advisory lock of the job, {@code pg_try_advisory_xact_lock(key1, key2)}, in a transaction of its own
 * connection that stays open (and does nothing else) until the run ends; an instance that finds the lock taken skips
 * this run. The lock is a transaction's: it ends with the run (rollback), with the connection, when the instance is
 * killed (the server ends the session when the socket closes) and when PostgreSQL restarts. No row, no expiry to
 * tune, nothing to clean up after a crash.
 * <p>
 * Keys: the two-integer key space of advisory locks (distinct from the single-bigint keys of the outbox relay and
 * profile-service's catalog lock); {@code key1} from the service ({@code outbox.source}, as advisory locks are per
 * database and every service's schema shares it), {@code key2} from the job name. The work runs on its own
 * sessions and transactions as before: the lock only decides who runs. Jobs must stay correct if two runs ever
 * overlap anyway (each claims its rows under row locks, or updates idempotently): the lock keeps duplicates out of the
 * normal case, the rows keep them out of the rare one (a partitioned network where the server has not noticed yet
 * that the holder's session is gone).
 * <p>
 * Jobs that only read (metric samplers) do not take it: every instance serves its own {@code /q/metrics}.
 */
@ApplicationScoped
public class JobLock {

    private static final Logger LOG = Logger.getLogger(JobLock.class);
    private static final String TRY_LOCK = "select pg_try_advisory_xact_lock($1, $2)";

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxConfig outbox;

    @Inject
    MeterRegistry metrics;

    /** The two keys of {@code job}'s lock in the service whose {@code outbox.source} is {@code source}. */
    public static int[] key(String source, String job) {
        return new int[] {hash(source), hash(job)};
    }

    /**
     * Runs {@code work} if no other instance runs {@code job} now; its item, or null when this run was skipped. The
     * lock is held until the work's {@link Uni} ends (item or failure).
     */
    public <T> Uni<T> alone(String job, Supplier<Uni<T>> work) {
        int[] key = key(outbox.source(), job);
        return pool.getConnection()
                .chain(connection -> connection
                        .begin()
                        .chain(tx -> tryLock(connection, key)
                                .chain(locked -> {
                                    count(job, locked);
                                    if (!locked) {
                                        LOG.debugf("%s: another instance runs it now, skipped here", job);
                                        return Uni.createFrom().<T>nullItem();
                                    }
                                    return work.get();
                                })
                                .onTermination()
                                .call(() -> release(tx)))
                        .onTermination()
                        .call(() -> connection.close().onFailure().recoverWithNull()));
    }

    /** The blocking form of {@link #alone}, for jobs that run on a worker thread. Returns whether it ran. */
    public boolean aloneBlocking(String job, Runnable work) {
        int[] key = key(outbox.source(), job);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean locked;
                try (PreparedStatement st = c.prepareStatement("select pg_try_advisory_xact_lock(?, ?)")) {
                    st.setInt(1, key[0]);
                    st.setInt(2, key[1]);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        locked = rs.getBoolean(1);
                    }
                }
                count(job, locked);
                if (!locked) {
                    LOG.debugf("%s: another instance runs it now, skipped here", job);
                    return false;
                }
                work.run();
                return true;
            } finally {
                c.rollback(); // ends the transaction, and with it the lock
            }
        } catch (SQLException e) {
            throw new IllegalStateException(job + ": cannot take its lock: " + e.getMessage(), e);
        }
    }

    private static Uni<Boolean> tryLock(SqlConnection connection, int[] key) {
        return connection
                .preparedQuery(TRY_LOCK)
                .execute(Tuple.of(key[0], key[1]))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    private static Uni<Void> release(Transaction tx) {
        return tx.rollback().onFailure().recoverWithNull(); // a dead connection released it already
    }

    private void count(String job, boolean ran) {
        Counter.builder("edgefleet.scheduled.runs")
                .description("Runs of scheduled jobs that change state: ran here, or skipped (another instance ran it)")
                .tags("name", job, "outcome", ran ? "ran" : "skipped")
                .register(metrics)
                .increment();
    }

    /** A stable 32-bit hash (FNV-1a of the UTF-8 bytes): the same on every instance and JVM version. */
    static int hash(String s) {
        int h = 0x811C9DC5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        return h;
    }
}
