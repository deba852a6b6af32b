package io.edgefleet.tracing;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import zipkin2.reporter.urlconnection.URLConnectionSender;

import java.time.Duration;
import java.util.Optional;

/**
 * Sends this process's spans to a Zipkin server ({@code /api/v2/spans}) when {@code edgefleet.tracing.zipkin-endpoint}
 * is set: a batch processor beside Quarkus' own (whose OTLP exporter is off), in the background, so a slow or absent
 * backend never slows a request; spans it cannot deliver are dropped (OpenTelemetry logs that, rate-limited).
 * Without an endpoint nothing is exported (the trace context still travels with the events).
 */
@Singleton
public class ZipkinExport {

    private static final Logger LOG = Logger.getLogger(ZipkinExport.class);

    @ConfigProperty(name = "edgefleet.tracing.zipkin-endpoint")
    Optional<String> endpoint;

    @Produces
    @Singleton
    SpanProcessor zipkin() {
        if (endpoint.isEmpty() || endpoint.get().isBlank()) {
            return SpanProcessor.composite();
        }
        LOG.infof("exporting spans to Zipkin at %s", endpoint.get());
        URLConnectionSender sender = URLConnectionSender.newBuilder()
                .endpoint(endpoint.get())
                .connectTimeout(2_000)
                .readTimeout(5_000)
                .build();
        return BatchSpanProcessor.builder(
                        ZipkinSpanExporter.builder().setSender(sender).build())
                .setScheduleDelay(Duration.ofMillis(500))
                .setExporterTimeout(Duration.ofSeconds(5))
                .build();
    }
}
