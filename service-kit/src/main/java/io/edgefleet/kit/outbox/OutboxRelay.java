package io.edgefleet.kit.outbox;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.TraceContext;
import io.edgefleet.kit.scheduling.JobLock;
import io.edgefleet.tracing.Traces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes pending outbox rows to Kafka in insertion order and marks them published.
 * <p>
 * At least once: a row is marked only after the broker acknowledged it, so a crash or an unreachable
 * broker leads to a later retry (consumers deduplicate by event id). A batch stops at the first
 * failed send and only the acknowledged prefix is marked, which keeps each key's events in order.
 * A PostgreSQL advisory lock (one key per service) lets only one instance of a service relay at a time.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Base of the advisory lock key; advisory locks are per database, so each service (source) gets its own key. */
    private static final long RELAY_LOCK_BASE = 0x0ED6_0000_0000_0000L;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxConfig config;

    @Inject
    Config appConfig;

    @Inject
    MeterRegistry metrics;

    @Inject
    Tracer tracer;

    @Inject
    JobLock jobs;

    private Counter publishedCount;

    private Producer<String, byte[]> producer;
    private volatile String lastFailure;
    private volatile boolean running;
    private Thread loop;
    private OutboxNotifications notifications;

    void start(@Observes StartupEvent started) {
        publishedCount = Counter.builder("edgefleet.outbox.published")
                .description("Events the outbox relay published to Kafka")
                .register(metrics);
        running = true;
        notifications = new OutboxNotifications(dataSource);
        loop = new Thread(this::run, "outbox-relay");
        loop.setDaemon(true);
        loop.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        if (loop != null) {
            loop.interrupt(); // a wait for a notification ends within its slice (the thread closes the connection)
            try {
                loop.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeProducer();
    }

    /**
     * Publishes as soon as a transaction that wrote the outbox commits ({@link OutboxNotifications}), and polls while
     * idle; backs off (up to 10 s) while the broker or the database is unreachable.
     */
    private void run() {
        long backoff = 0;
        try {
            while (running) {
                relay();
                backoff = lastFailure == null ? 0 : Math.min(Math.max(backoff * 2, 500), 10_000);
                if (backoff > 0) {
                    Thread.sleep(backoff);
                } else {
                    notifications.await(config.pollInterval(), () -> !running);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            notifications.close();
        }
    }

    /** Publishes everything pending now. Returns how many events were published. */
    public synchronized int relay() {
        int total = 0;
        try {
            int published;
            do {
                published = publishBatch();
                total += published;
                if (publishedCount != null) {
                    publishedCount.increment(published);
                }
            } while (published == config.batchSize());
            if (lastFailure != null) {
                LOG.infof("outbox relay resumed publishing after: %s", lastFailure);
                lastFailure = null;
            }
        } catch (Exception e) {
            String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!failure.equals(lastFailure)) { // log each distinct failure once, not every retry
                LOG.warnf("outbox relay cannot publish (will retry): %s", failure);
            }
            lastFailure = failure;
            closeProducer(); // start the next attempt with a fresh connection and producer state
        }
        return total;
    }

    /** Null while publishing works; otherwise why it does not. */
    public String lastFailure() {
        return lastFailure;
    }

    public long pendingCount() {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from outbox_message where published_at is null")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private int publishBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!tryRelayLock(c)) {
                    c.rollback();
                    return 0;
                }
                List<CloudEventRow> rows = pending(c);
                List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
                Exception failure = null;
                List<Span> spans = new ArrayList<>(rows.size());
                for (CloudEventRow row : rows) {
                    Span span = publishSpan(row);
                    spans.add(span);
                    try {
                        Future<RecordMetadata> send = producer().send(row.record(span));
                        if (send.isDone()) {
                            send.get(); // failed at once (no metadata: broker unreachable): stop here
                        }
                        sends.add(send);
                    } catch (RuntimeException | ExecutionException e) {
                        failure = e;
                        break;
                    }
                }
                if (!sends.isEmpty()) {
                    // the whole batch is handed over: send it now rather than after linger.ms (the batch still
                    // travels in as few requests as linger allows; a lone command is not held 5 ms)
                    producer().flush();
                }
                int acknowledged = 0;
                for (Future<RecordMetadata> send : sends) {
                    try {
                        send.get(config.sendTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
                        acknowledged++;
                    } catch (ExecutionException | TimeoutException e) {
                        failure = failure != null ? failure : e;
                        break;
                    }
                }
                for (int i = 0; i < spans.size(); i++) {
                    if (i >= acknowledged) {
                        spans.get(i).setStatus(StatusCode.ERROR, "not acknowledged by Kafka (published again later)");
                    }
                    spans.get(i).end();
                }
                markPublished(c, rows.subList(0, acknowledged));
                c.commit();
                if (failure != null) {
                    throw failure instanceof ExecutionException ee && ee.getCause() instanceof Exception cause
                            ? cause
                            : failure;
                }
                return acknowledged;
            } catch (Exception e) {
                if (!c.getAutoCommit()) {
                    try {
                        c.rollback();
                    } catch (SQLException ignored) {
                        // the connection is closed below anyway
                    }
                }
                throw e;
            }
        }
    }

    private boolean tryRelayLock(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            st.setLong(1, RELAY_LOCK_BASE | (config.source().hashCode() & 0xFFFFFFFFL));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private List<CloudEventRow> pending(Connection c) throws SQLException {
        List<CloudEventRow> rows = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "select id, topic, message_key, event_type, subject, tenant, occurred_at, payload, expires_at, "
                        + "traceparent, tracestate from outbox_message where published_at is null order by seq limit ?")) {
            st.setInt(1, config.batchSize());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    CloudEvent event = new CloudEvent(
                            rs.getObject("id", UUID.class).toString(),
                            config.source(),
                            rs.getString("event_type"),
                            rs.getString("subject"),
                            rs.getString("tenant"),
                            rs.getTimestamp("occurred_at").toInstant(),
                            rs.getString("payload").getBytes(StandardCharsets.UTF_8),
                            rs.getTimestamp("expires_at") == null
                                    ? null
                                    : rs.getTimestamp("expires_at").toInstant(),
                            TraceContext.parse(rs.getString("traceparent"), rs.getString("tracestate")));
                    rows.add(new CloudEventRow(
                            rs.getObject("id", UUID.class), rs.getString("topic"), rs.getString("message_key"), event));
                }
            }
        }
        return rows;
    }

    private void markPublished(Connection c, List<CloudEventRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement st =
                c.prepareStatement("update outbox_message set published_at = now() where id = any (?)")) {
            st.setArray(
                    1,
                    c.createArrayOf("uuid", rows.stream().map(CloudEventRow::id).toArray()));
            st.executeUpdate();
        }
    }

    /** One instance of the service purges at a time ({@link JobLock}); the deletes are idempotent anyway. */
    @Scheduled(identity = "outbox-purge", every = "10m", delayed = "1m")
    void purge() {
        try {
            jobs.aloneBlocking("outbox-purge", this::purgeNow);
        } catch (IllegalStateException e) {
            LOG.warnf("outbox purge failed (will retry): %s", e.getMessage());
        }
    }

    private void purgeNow() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement published = c.prepareStatement(
                        "delete from outbox_message where published_at < now() - make_interval(secs => ?)");
                PreparedStatement handled = c.prepareStatement(
                        "delete from processed_event where processed_at < now() - make_interval(secs => ?)")) {
            published.setLong(1, config.publishedRetention().toSeconds());
            handled.setLong(1, config.inboxRetention().toSeconds());
            int events = published.executeUpdate();
            int ids = handled.executeUpdate();
            if (events + ids > 0) {
                LOG.debugf("purged %d published outbox rows and %d handled event ids", events, ids);
            }
        } catch (SQLException e) {
            LOG.warnf("outbox purge failed (will retry): %s", e.getMessage());
        }
    }

    private Producer<String, byte[]> producer() {
        if (producer == null) {
            int timeout = (int) config.sendTimeout().toMillis();
            Map<String, Object> settings = KafkaSettings.of(appConfig); // bootstrap servers and the service's login
            settings.putAll(Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG,
                    "outbox-relay" + config.source().replace('/', '-'),
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true,
                    ProducerConfig.LINGER_MS_CONFIG,
                    5,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG,
                    timeout,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    Math.max(1_000, timeout / 2),
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    timeout));
            producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private synchronized void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    /**
     * The span of one publication, a child of the span that wrote the event (the REST request, the handling of an
     * event): the event then carries this span's context, so its consumers' spans hang below it.
     */
    private Span publishSpan(CloudEventRow row) {
        return tracer.spanBuilder("publish " + row.event().type())
                .setParent(Traces.parent(row.event().trace()))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", row.topic())
                .setAttribute("messaging.message.id", row.event().id())
                .setAttribute("cloudevents.event_type", row.event().type())
                .setAttribute(
                        "cloudevents.event_subject", String.valueOf(row.event().subject()))
                .startSpan();
    }

    private record CloudEventRow(UUID id, String topic, String key, CloudEvent event) {
        ProducerRecord<String, byte[]> record(Span span) {
            TraceContext trace =
                    Traces.of(io.opentelemetry.context.Context.root().with(span));
            return KafkaCloudEvents.toRecord(topic, key, trace == null ? event : event.withTrace(trace));
        }
    }
}
