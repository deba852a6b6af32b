package io.edgefleet.gateway.metrics;

import io.edgefleet.events.payload.CommandResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * What the gateway counts, in the services' Prometheus format (names in docs/operations.md). One registry per gateway:
 * tests run many gateways in one JVM. No label holds an id (cluster, node, command): only command and report types
 * and outcomes, so the series stay few. Served by {@link MetricsEndpoint} when the configuration names an address.
 */
public final class GatewayMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private JvmGcMetrics gc;

    public GatewayMetrics(String version, String mode) {
        Gauge.builder("edgefleet.gateway.info", () -> 1)
                .description("The gateway's version and mode (always 1)")
                .tag("version", version)
                .tag("mode", mode)
                .register(registry);
    }

    /** The process's JVM, CPU and uptime metrics: only for the installed gateway, which owns its JVM. */
    public GatewayMetrics withProcessMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return this;
    }

    /**
     * The gauges read from the gateway's state at each scrape.
     *
     * @param linkReady   connected to the broker and subscribed to its commands
     * @param backlog     the local report outbox: how many wait and since when the oldest waits
     * @param unfinished  commands received and not yet done
     * @param certificate when the certificate in use expires (empty before enrolment)
     */
    public void watch(
            Supplier<Boolean> linkReady,
            Supplier<Backlog> backlog,
            Supplier<Long> unfinished,
            Supplier<Optional<Instant>> certificate) {
        gauge(
                "edgefleet.gateway.link.ready",
                "1 when connected to the broker with commands subscribed",
                null,
                () -> linkReady.get() ? 1 : 0);
        gauge(
                "edgefleet.gateway.reports.pending",
                "Reports waiting in the local outbox",
                null,
                () -> backlog.get().count());
        gauge(
                "edgefleet.gateway.reports.oldest.pending",
                "Age of the oldest report waiting (0 when none)",
                "seconds",
                () -> backlog.get()
                        .oldest()
                        .map(o -> Math.max(0, Duration.between(o, Instant.now()).toMillis() / 1000.0))
                        .orElse(0.0));
        gauge(
                "edgefleet.gateway.commands.unfinished",
                "Commands received and not yet done",
                null,
                () -> unfinished.get());
        gauge(
                "edgefleet.gateway.certificate.not.after",
                "When the device certificate expires (Unix time; NaN before " + "enrolment)",
                "seconds",
                () -> certificate.get().map(i -> (double) i.getEpochSecond()).orElse(Double.NaN));
    }

    /** A gauge that reads {@code value} at each scrape; a failing read shows NaN rather than failing the scrape. */
    private void gauge(String name, String description, String unit, Supplier<Number> value) {
        ToDoubleFunction<Supplier<Number>> read = v -> {
            try {
                return v.get().doubleValue();
            } catch (RuntimeException e) { // e.g. the local store closing with the gateway
                return Double.NaN;
            }
        };
        // held strongly: Micrometer keeps a gauge's object weakly, and nothing else holds these lambdas
        Gauge.builder(name, value, read)
                .strongReference(true)
                .description(description)
                .baseUnit(unit)
                .register(registry);
    }

    /** A command ran to its end (succeeded or failed) on the node driver or as a task. */
    public void commandDone(String type, CommandResult.Outcome outcome, long nanos) {
        Timer.builder("edgefleet.gateway.commands")
                .description("Commands executed, by type and outcome, and how long they took")
                .tag("type", type)
                .tag("outcome", outcome.name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The broker acknowledged a report. */
    public void reportSent(String type) {
        counter("edgefleet.gateway.reports.sent", "Reports the broker acknowledged, by type", "type", type)
                .increment();
    }

    /** A report could not be sent (link down, no acknowledgement in time, refused): it stays queued. */
    public void reportNotSent(String why) {
        counter(
                        "edgefleet.gateway.reports.not.sent",
                        "Attempts to send a report that failed; it stays queued",
                        "reason",
                        why)
                .increment();
    }

    /** A report no broker could ever take (too large) was dropped so that it does not hold up the others. */
    public void reportDropped() {
        counter("edgefleet.gateway.reports.dropped", "Reports dropped as unsendable (logged with their id)", null, null)
                .increment();
    }

    /** The reconcile at start started a node that was down but should run. */
    public void nodeRestarted() {
        counter(
                        "edgefleet.gateway.nodes.restarted",
                        "Nodes started again by the gateway's reconcile at start",
                        null,
                        null)
                .increment();
    }

    private Counter counter(String name, String description, String tag, String value) {
        Counter.Builder builder = Counter.builder(name).description(description);
        if (tag != null) {
            builder.tag(tag, value);
        }
        return builder.register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }

    /** The local report outbox's backlog. */
    public record Backlog(long count, Optional<Instant> oldest) {}
}
