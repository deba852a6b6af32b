package io.edgefleet.bridge.reports;

import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgefleet.bridge.BridgeConfig;
import io.edgefleet.bridge.kafka.KafkaClients;
import io.edgefleet.bridge.metrics.BridgeMetrics;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.TraceContext;
import io.edgefleet.tracing.Traces;
import io.micrometer.core.instrument.Gauge;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Report topics (shared subscription) → {@code gateway-reports}. A report is acknowledged to the broker (PUBACK) only
 * after Kafka acknowledged it (idempotent producer, acks=all); while Kafka is away it is sent again with a back-off and
 * stays unacknowledged, so the broker keeps it. The broker sends at most {@code bridge.mqtt.receive-maximum}
 * unacknowledged reports, which bounds what is held here. Rejected reports are acknowledged and dropped with a warning.
 * <p>
 * Everything runs on one thread ({@link #executor()}): the MQTT callback, Kafka's completions and the retries.
 */
@ApplicationScoped
public class ReportRelay {

    private static final Logger LOG = Logger.getLogger(ReportRelay.class);

    @Inject
    BridgeConfig config;

    @Inject
    KafkaClients kafka;

    @Inject
    BridgeMetrics metrics;

    @Inject
    Tracer tracer;

    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private ScheduledThreadPoolExecutor worker;
    private KafkaProducer<String, byte[]> producer;
    private volatile boolean accepting;
    private String lastFailure;

    public void start() {
        worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "report-relay");
            t.setDaemon(true);
            return t;
        });
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        producer = kafka.producer("edge-bridge-reports-" + config.mqtt().clientId());
        Gauge.builder("edgefleet.bridge.reports.in.flight", inFlight, Set::size)
                .description("Reports received from MQTT and not yet acknowledged by Kafka")
                .register(metrics.registry());
        accepting = true;
    }

    /** Where the MQTT client hands over incoming PUBLISHes. */
    public Executor executor() {
        return worker;
    }

    /** An incoming PUBLISH (on the relay's thread). */
    public void relay(Mqtt5Publish publish) {
        if (!accepting) {
            return; // stopping: not acknowledged, so the broker delivers it again
        }
        String topic = publish.getTopic().toString();
        ReportCheck.Result result = ReportCheck.check(
                topic,
                userProperties(publish),
                publish.getContentType().map(Object::toString).orElse(null),
                publish.getPayloadAsBytes());
        if (result instanceof ReportCheck.Rejected rejected) {
            LOG.warnf("dropping a report on %s: %s", topic, rejected.reason());
            metrics.reportDropped("refused");
            acknowledge(publish);
            return;
        }
        ReportCheck.Accepted report = (ReportCheck.Accepted) result;
        // a span in the report's trace (a command's result: the command's trace; none: a new one), the parent of the
        // services' handling of it
        Span span = tracer.spanBuilder("relay " + report.event().type() + " to Kafka")
                .setParent(Traces.parent(report.event().trace()))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", Topics.GATEWAY_REPORTS)
                .setAttribute("messaging.message.id", report.event().id())
                .setAttribute("cloudevents.event_type", report.event().type())
                .setAttribute("edgefleet.appliance_uid", report.uid())
                .startSpan();
        TraceContext trace = Traces.of(Context.root().with(span));
        InFlight message = new InFlight(
                publish,
                KafkaCloudEvents.toRecord(
                        Topics.GATEWAY_REPORTS,
                        report.uid(),
                        trace == null ? report.event() : report.event().withTrace(trace)),
                span);
        inFlight.add(message);
        send(message);
    }

    /**
     * The MQTT connection dropped: the broker delivers every unacknowledged report again on the next connection, so
     * the ones in hand are let go. Acknowledging them now sends nothing (the client drops acknowledgements of an
     * earlier connection) and frees the client's receive window for the redeliveries.
     */
    public void connectionLost() {
        for (InFlight message : inFlight) {
            message.release();
        }
        inFlight.clear();
    }

    /** Reports acknowledged to nobody yet: received, waiting for Kafka. */
    public int inFlight() {
        return inFlight.size();
    }

    private void send(InFlight message) {
        if (message.released.get() || !accepting) {
            return;
        }
        try {
            producer.send(message.record, (metadata, error) -> onWorker(() -> sent(message, error)));
        } catch (KafkaException e) {
            sent(message, e); // e.g. no metadata within max.block.ms while Kafka is down
        } catch (RuntimeException e) {
            LOG.errorf(e, "sending report to gateway-reports failed unexpectedly (retrying)");
            sent(message, e);
        }
    }

    private void sent(InFlight message, Exception error) {
        if (error == null) {
            if (lastFailure != null) {
                LOG.infof("gateway-reports writable again (after: %s)", lastFailure);
                lastFailure = null;
            }
            metrics.reportRelayed();
            message.span.end();
            message.settle();
            return;
        }
        if (error
                instanceof
                RecordTooLargeException) { // can never be written: holding it would block the gateway for good
            LOG.errorf(
                    "dropping report %s on %s: %s",
                    KafkaCloudEvents.get(message.record.headers(), KafkaCloudEvents.ID),
                    message.publish.getTopic(),
                    error.getMessage());
            metrics.reportDropped("too_large");
            message.span.setStatus(StatusCode.ERROR, "too large for Kafka");
            message.span.end();
            message.settle();
            return;
        }
        String failure = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (!failure.equals(lastFailure)) {
            LOG.warnf("cannot write to gateway-reports (reports stay unacknowledged, retrying): %s", failure);
            lastFailure = failure;
        }
        long backoff = Math.min(500L << Math.min(message.attempts++, 5), 10_000);
        try {
            worker.schedule(() -> send(message), backoff, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // not acknowledged: the broker keeps it
        }
    }

    private void onWorker(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException stopping) {
            // the relay stopped: the report stays unacknowledged
        }
    }

    /** Stops taking reports, lets the ones on their way to Kafka finish (and be acknowledged), then stops. */
    public void stop() {
        accepting = false;
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (worker != null) {
            worker.shutdown();
            try {
                worker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Map<String, String> userProperties(Mqtt5Publish publish) {
        Map<String, String> properties = new HashMap<>();
        for (Mqtt5UserProperty p : publish.getUserProperties().asList()) {
            properties.put(p.getName().toString(), p.getValue().toString()); // a repeated name: the last one counts
        }
        return properties;
    }

    private static void acknowledge(Mqtt5Publish publish) {
        try {
            publish.acknowledge();
        } catch (IllegalStateException alreadyDone) {
            // acknowledged (or let go) before
        }
    }

    private final class InFlight {
        final Mqtt5Publish publish;
        final ProducerRecord<String, byte[]> record;
        final AtomicBoolean released = new AtomicBoolean();
        final Span span;
        int attempts;

        InFlight(Mqtt5Publish publish, ProducerRecord<String, byte[]> record, Span span) {
            this.publish = publish;
            this.record = record;
            this.span = span;
        }

        /** Kafka has it: PUBACK. */
        void settle() {
            if (inFlight.remove(this) && released.compareAndSet(false, true)) {
                acknowledge(publish);
            }
        }

        /** Let go without a PUBACK on the current connection. */
        void release() {
            span.setStatus(StatusCode.ERROR, "MQTT connection lost: the broker delivers it again");
            span.end();
            if (released.compareAndSet(false, true)) {
                acknowledge(publish);
            }
        }
    }
}
