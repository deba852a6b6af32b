package io.edgefleet.bridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The bridge's own metrics at {@code /q/metrics} (with Kafka client and JVM metrics): reports relayed to Kafka and
 * dropped (by reason: refused by the report check, or too large for Kafka), commands published to MQTT and skipped.
 * Gauges of the MQTT link and the reports in flight are registered by their owners.
 */
@ApplicationScoped
public class BridgeMetrics {

    @Inject
    MeterRegistry metrics;

    public void reportRelayed() {
        counter("edgefleet.bridge.reports", "Reports relayed from MQTT to gateway-reports", "outcome", "relayed")
                .increment();
    }

    /** @param reason a bounded word: {@code refused} (the report check) or {@code too_large} */
    public void reportDropped(String reason) {
        counter("edgefleet.bridge.reports", "Reports relayed from MQTT to gateway-reports", "outcome", reason)
                .increment();
    }

    public void commandPublished() {
        counter("edgefleet.bridge.commands", "Commands published from gateway-commands to MQTT", "outcome", "published")
                .increment();
    }

    /** @param reason a bounded word: {@code malformed}, {@code expired} or {@code too_large} */
    public void commandSkipped(String reason) {
        counter("edgefleet.bridge.commands", "Commands published from gateway-commands to MQTT", "outcome", reason)
                .increment();
    }

    public MeterRegistry registry() {
        return metrics;
    }

    private Counter counter(String name, String description, String tag, String value) {
        return Counter.builder(name).description(description).tag(tag, value).register(metrics);
    }
}
