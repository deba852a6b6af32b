package io.edgefleet.testsupport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks that a scheduled job takes its single-instance lock (service-kit {@code JobLock}): while the test holds the
 * job's advisory lock, as another instance in the middle of a run would, every run of the job is skipped (metric
 * {@code edgefleet_scheduled_runs_total{name, outcome}}), and it runs again once the lock is released.
 */
public final class JobLockChecks {

    private JobLockChecks() {}

    /**
     * @param key the job's two lock keys ({@code JobLock.key(source, job)})
     * @param metrics the service's {@code /q/metrics} text
     */
    public static void skippedWhileLocked(DataSource db, int[] key, String job, Supplier<String> metrics)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, key[0]);
                lock.setInt(2, key[1]);
                lock.execute();
            }
            // taken: a run that had it is over (a run holds it to its end and counts itself at its start)
            double ran = runs(metrics.get(), job, "ran");
            double skipped = runs(metrics.get(), job, "skipped");
            Eventually.holds(
                    Duration.ofSeconds(60),
                    Duration.ofMillis(250),
                    () -> runs(metrics.get(), job, "skipped") >= skipped + 2);
            assertEquals(ran, runs(metrics.get(), job, "ran"), job + " ran while another held its lock");
            c.rollback();
        }
        double ranBefore = runs(metrics.get(), job, "ran");
        Eventually.holds(
                Duration.ofSeconds(60), Duration.ofMillis(250), () -> runs(metrics.get(), job, "ran") > ranBefore);
    }

    /** The value of {@code edgefleet_scheduled_runs_total{name, outcome}} in {@code text}; 0 when absent. */
    public static double runs(String text, String job, String outcome) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("edgefleet_scheduled_runs_total{")
                    && line.contains("name=\"" + job + "\"")
                    && line.contains("outcome=\"" + outcome + "\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
