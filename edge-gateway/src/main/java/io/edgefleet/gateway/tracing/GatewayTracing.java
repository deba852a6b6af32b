package io.edgefleet.gateway.tracing;

import io.edgefleet.events.TraceContext;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.jboss.logging.Logger;
import zipkin2.reporter.urlconnection.URLConnectionSender;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's spans, with the OpenTelemetry SDK directly (the gateway is no Quarkus application): one per command it
 * runs, a child of the span that relayed the command (the CloudEvents extension {@code traceparent} of the command),
 * and its context goes out with the command's result and progress reports, so the service's handling of the result
 * joins the same trace. Spans are exported to Zipkin only when an endpoint is configured; otherwise the tracer is
 * OpenTelemetry's no-op one, which still passes the command's trace context on unchanged. Nothing is registered
 * globally: several gateways may run in one JVM (tests).
 */
public final class GatewayTracing implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GatewayTracing.class);
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<TraceContext> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(TraceContext carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return switch (key) {
                case "traceparent" -> carrier.traceparent();
                case "tracestate" -> carrier.tracestate();
                default -> null;
            };
        }
    };

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private GatewayTracing(SdkTracerProvider provider, Tracer tracer) {
        this.provider = provider;
        this.tracer = tracer;
    }

    /** Spans to Zipkin at {@code endpoint} ({@code .../api/v2/spans}); null: none exported. */
    public static GatewayTracing of(String endpoint, String uid) {
        if (endpoint == null || endpoint.isBlank()) {
            return new GatewayTracing(null, TracerProvider.noop().get("edge-gateway"));
        }
        LOG.infof("exporting spans to Zipkin at %s", endpoint);
        URLConnectionSender sender = URLConnectionSender.newBuilder()
                .endpoint(endpoint)
                .connectTimeout(2_000)
                .readTimeout(5_000)
                .build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.builder()
                                .put("service.name", "edge-gateway")
                                .put("service.instance.id", uid)
                                .build())))
                .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
                .addSpanProcessor(BatchSpanProcessor.builder(
                                ZipkinSpanExporter.builder().setSender(sender).build())
                        .setScheduleDelay(Duration.ofMillis(500))
                        .setExporterTimeout(Duration.ofSeconds(5))
                        .build())
                .build();
        return new GatewayTracing(provider, provider.get("edge-gateway"));
    }

    /** A span for running a command, child of {@code parent} (the command's trace; null: a new trace). */
    public Span commandSpan(String type, String commandId, String clusterId, String nodeId, TraceContext parent) {
        Context context = parent == null ? Context.root() : W3C.extract(Context.root(), parent, GETTER);
        return tracer.spanBuilder("run " + type)
                .setParent(context)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("edgefleet.command_id", commandId)
                .setAttribute("edgefleet.cluster_id", String.valueOf(clusterId))
                .setAttribute("edgefleet.node_id", String.valueOf(nodeId))
                .startSpan();
    }

    /** The trace context of {@code span}, for the reports it causes; null when it has none. */
    public static TraceContext contextOf(Span span) {
        if (span == null || !span.getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(Context.root().with(span), carrier, Map::put);
        return TraceContext.parse(carrier.get("traceparent"), carrier.get("tracestate"));
    }

    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
