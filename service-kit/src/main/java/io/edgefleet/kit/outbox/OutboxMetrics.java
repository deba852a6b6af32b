package io.edgefleet.kit.outbox;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * How far the outbox is behind: {@code edgefleet_outbox_pending} (events not yet on Kafka) and
 * {@code edgefleet_outbox_oldest_pending_seconds} (how long the oldest has waited), sampled on a schedule rather than
 * at each scrape (a scrape must not wait for the database); {@code edgefleet_outbox_relay_failing} is 1 while the
 * relay cannot publish. Every instance of a service reports the same table: alert on the max, not the sum.
 */
@ApplicationScoped
public class OutboxMetrics {

    private static final Logger LOG = Logger.getLogger(OutboxMetrics.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxRelay relay;

    @Inject
    MeterRegistry metrics;

    private volatile long pending;
    private volatile Instant oldestPending;

    void register(@Observes StartupEvent started) {
        Gauge.builder("edgefleet.outbox.pending", () -> pending)
                .description("Events written to the outbox and not yet published to Kafka")
                .register(metrics);
        Gauge.builder("edgefleet.outbox.oldest.pending", this::oldestPendingAge)
                .description("Age of the oldest event waiting in the outbox (0 when none waits)")
                .baseUnit("seconds")
                .register(metrics);
        Gauge.builder("edgefleet.outbox.relay.failing", () -> relay.lastFailure() == null ? 0 : 1)
                .description("1 while the outbox relay cannot publish (see the outbox wellness check for why)")
                .register(metrics);
    }

    // Reads only: runs on every instance of the service (no JobLock), each serves its own /q/metrics.
    @Scheduled(identity = "outbox-metrics", every = "${outbox.metrics-interval:15s}", delayed = "5s")
    void sample() {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "select count(*), min(occurred_at) from outbox_message where published_at is null")) {
            rs.next();
            pending = rs.getLong(1);
            Timestamp oldest = rs.getTimestamp(2);
            oldestPending = oldest == null ? null : oldest.toInstant();
        } catch (SQLException e) {
            LOG.debugf("outbox metrics not sampled (database away?): %s", e.getMessage());
        }
    }

    private double oldestPendingAge() {
        Instant oldest = oldestPending;
        return oldest == null
                ? 0
                : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
    }
}
