package io.edgefleet.kit.messaging;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.kit.outbox.ProcessedEvents;
import io.edgefleet.tracing.Traces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.JDBCException;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The one way every consumer takes a record, so each {@code @Incoming} method is a thin adapter in front of its
 * handler (as in Debezium's outbox example): the CloudEvent is read from the record, the consumer's
 * {@link Handling} names the effect — or null when the event is not its concern — and the effect is applied once
 * ({@link ProcessedEvents}: in the effect's transaction).
 * <p>
 * Nothing is lost silently:
 * <ul>
 *   <li>a failing effect (database away, lock conflict, a bug) is retried with back-off until it works; the consumer
 *       takes nothing else from the partition meanwhile (the record is not acknowledged), and after
 *       {@code events.stuck-after} the consumer counts as stuck (log, metric {@code edgefleet_events_stuck}, wellness
 *       check) until the event goes through;</li>
 *   <li>a record that is not a valid event, whose payload the handler refuses as malformed
 *       ({@link InvalidEventException}), or whose data the database refuses ({@link #whyNever}), can never be
 *       applied: it is moved to {@code dead-letters} with the reason ({@link DeadLetters}), then committed, so one
 *       bad record does not hold up its partition.</li>
 * </ul>
 */
@ApplicationScoped
public class InboundEvents {

    private static final Logger LOG = Logger.getLogger(InboundEvents.class);

    /** What an event does in this consumer. */
    @FunctionalInterface
    public interface Handling {
        /**
         * @return the effect (run once, inside the inbox transaction), or null: not this consumer's concern
         * @throws InvalidEventException when the event is malformed for this consumer (it is dead-lettered); the
         *                               effect may throw it too
         */
        Supplier<Uni<Void>> of(CloudEvent event);
    }

    @Inject
    ProcessedEvents processed;

    @Inject
    DeadLetters deadLetters;

    @Inject
    MeterRegistry metrics;

    @Inject
    Tracer tracer;

    @ConfigProperty(name = "events.retry-max-backoff", defaultValue = "10s")
    Duration maxBackoff;

    @ConfigProperty(name = "events.stuck-after", defaultValue = "1m")
    Duration stuckAfter;

    private final Map<String, AtomicInteger> stuck = new ConcurrentHashMap<>();

    /** @param consumer the inbox name, e.g. {@code "cluster-service/profile-events"} */
    public Uni<Void> handle(String consumer, ConsumerRecord<String, byte[]> record, Handling handling) {
        CloudEvent event;
        Supplier<Uni<Void>> effect;
        try {
            event = KafkaCloudEvents.fromRecord(record);
            effect = handling.of(event);
        } catch (InvalidEventException e) {
            return deadLetter(consumer, record, e.getMessage());
        }
        if (effect == null) {
            count(consumer, "ignored");
            return Uni.createFrom().voidItem();
        }
        Attempts attempts = new Attempts(consumer, describe(event));
        Span span = handleSpan(consumer, record.topic(), event);
        return Uni.createFrom()
                .deferred(() -> {
                    Scope scope = current(span);
                    return processed
                            .applyOnce(consumer, event.id(), effect)
                            .onTermination()
                            .invoke(() -> closeQuietly(scope));
                })
                .plug(attempt -> untilApplied(attempt, attempts))
                .onItem()
                .invoke(applied -> {
                    count(consumer, applied ? "applied" : "duplicate");
                    span.setAttribute("edgefleet.outcome", applied ? "applied" : "duplicate");
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(e -> {
                    span.setStatus(StatusCode.ERROR, "dead-lettered");
                    return deadLetter(consumer, record, whyNever(e));
                })
                .onTermination()
                .invoke(span::end);
    }

    /**
     * One event's effect inside a batch's transaction ({@link InboundBatches}) in the event's own span, as
     * {@link #handle} runs it: the trace goes on from its producer through this consumer to the events the effect
     * writes to the outbox (a command decided on a gateway's result continues the trace of the REST call).
     */
    public Uni<Void> traced(String consumer, String topic, CloudEvent event, Supplier<Uni<Void>> effect) {
        Span span = handleSpan(consumer, topic, event);
        return Uni.createFrom()
                .deferred(() -> {
                    Scope scope = current(span);
                    return effect.get().onTermination().invoke(() -> closeQuietly(scope));
                })
                .onFailure()
                .invoke(e -> span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage())))
                .onTermination()
                .invoke(span::end);
    }

    private Span handleSpan(String consumer, String topic, CloudEvent event) {
        return tracer.spanBuilder("handle " + event.type())
                .setParent(Traces.parent(event.trace())) // none (an older producer, a malformed one): a new trace
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.consumer.group.name", consumer)
                .setAttribute("messaging.message.id", event.id())
                .setAttribute("cloudevents.event_type", event.type())
                .setAttribute("cloudevents.event_subject", String.valueOf(event.subject()))
                .startSpan();
    }

    /**
     * The span current while an effect runs, so the events it writes to the outbox carry the trace on: only on a Vert.x
     * duplicated context, where Quarkus keeps the OpenTelemetry context across the effect's asynchronous steps (a
     * thread-local scope could not be closed on another thread).
     */
    private static Scope current(Span span) {
        return VertxContext.isOnDuplicatedContext() ? span.makeCurrent() : Scope.noop();
    }

    /**
     * Subscribes to {@code attempt} again, with back-off, while it fails for a reason that may pass (logged, counted and
     * reported stuck by {@code attempts}); a failure that never passes ({@link #whyNever}) is passed on.
     */
    <T> Uni<T> untilApplied(Uni<T> attempt, Attempts attempts) {
        return attempt.onFailure(InboundEvents::isTransient)
                .invoke(attempts::failed)
                .onFailure(InboundEvents::isTransient)
                .retry()
                .withBackOff(Duration.ofMillis(200), maxBackoff)
                .indefinitely()
                .onItemOrFailure()
                .invoke(attempts::ended);
    }

    private static void closeQuietly(Scope scope) {
        try {
            scope.close();
        } catch (RuntimeException e) {
            // another context became current meanwhile: nothing to restore
        }
    }

    /** Consumers that have been retrying an event for longer than {@code events.stuck-after}. */
    public Set<String> stuckConsumers() {
        Set<String> names = new TreeSet<>();
        stuck.forEach((consumer, count) -> {
            if (count.get() > 0) {
                names.add(consumer);
            }
        });
        return names;
    }

    Uni<Void> deadLetter(String consumer, ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warnf(
                "%s: record %s-%d@%d is malformed, moving it to dead-letters: %s",
                consumer, record.topic(), record.partition(), record.offset(), reason);
        return deadLetters
                .send(consumer, record, reason)
                .onFailure()
                .invoke(e -> LOG.warnf("%s: cannot write the dead letter yet (will retry): %s", consumer, e.toString()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(500), maxBackoff)
                .indefinitely()
                .invoke(() -> count(consumer, "dead_lettered"));
    }

    /** Anything may pass once its cause is gone, except a malformed event. */
    static boolean isTransient(Throwable failure) {
        return whyNever(failure) == null;
    }

    /**
     * Why an event can never be applied, or null: malformed for its handler, or data PostgreSQL refuses whatever
     * its state (SQLSTATE class 22, e.g. a NUL character in a text, a value out of range), so that one appliance's
     * report cannot hold up every other report of its partition.
     */
    static String whyNever(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidEventException) {
                return cause.getMessage();
            }
            String state = cause instanceof JDBCException jdbc
                    ? jdbc.getSQLState()
                    : cause instanceof SQLException sql
                            ? sql.getSQLState()
                            : cause instanceof DatabaseException db ? db.getSqlState() : null;
            if (state != null && state.startsWith("22")) {
                return "the database refuses the event's data (SQLSTATE " + state + "): " + cause.getMessage();
            }
        }
        return null;
    }

    void count(String consumer, String outcome) {
        count(consumer, outcome, 1);
    }

    void count(String consumer, String outcome, int events) {
        Counter.builder("edgefleet.events")
                .description("Events taken by a consumer, by outcome")
                .tags("consumer", consumer, "outcome", outcome)
                .register(metrics)
                .increment(events);
    }

    private AtomicInteger stuckGauge(String consumer) {
        return stuck.computeIfAbsent(
                consumer,
                name -> metrics.gauge("edgefleet.events.stuck", Tags.of("consumer", name), new AtomicInteger()));
    }

    /** The failures of {@code what}, counted as this consumer's (a method: callers hold a client proxy, not this). */
    Attempts attempts(String consumer, String what) {
        return new Attempts(consumer, what);
    }

    static String describe(CloudEvent event) {
        return String.format(
                "%s %s about '%s' of tenant %s", event.type(), event.id(), event.subject(), event.tenant());
    }

    /**
     * The failures of one event (or one batch): logged once, then once more when they last long enough to be a stuck
     * consumer.
     */
    final class Attempts {
        private final String consumer;
        private final String what;
        private final long started = System.nanoTime();
        private int failures;
        private boolean isStuck;

        Attempts(String consumer, String what) {
            this.consumer = consumer;
            this.what = what;
        }

        void failed(Throwable failure) {
            failures++;
            Counter.builder("edgefleet.events.retries")
                    .description("Failed attempts to apply an event (each one is retried)")
                    .tags("consumer", consumer)
                    .register(metrics)
                    .increment();
            if (failures == 1) {
                LOG.warnf("%s: could not apply %s (retrying until it works): %s", consumer, what, failure.toString());
            } else if (!isStuck && System.nanoTime() - started > stuckAfter.toNanos()) {
                isStuck = true;
                stuckGauge(consumer).incrementAndGet();
                LOG.errorf(
                        failure,
                        "%s: stuck on %s for %d s (%d attempts); the consumer waits for it",
                        consumer,
                        what,
                        Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                        failures);
            }
        }

        void ended(Object result, Throwable failure) {
            if (isStuck) {
                stuckGauge(consumer).decrementAndGet();
            }
            if (failures > 0 && failure == null) {
                LOG.infof("%s: applied %s after %d failed attempts", consumer, what, failures);
            }
        }
    }
}
