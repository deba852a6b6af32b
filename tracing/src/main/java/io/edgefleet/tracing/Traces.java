package io.edgefleet.tracing;

import io.edgefleet.events.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.HashMap;
import java.util.Map;

/**
 * W3C trace context between OpenTelemetry and the CloudEvents distributed-tracing extension ({@link TraceContext}).
 * Always the W3C format, whatever propagators the application configures: it is the events' contract.
 */
public final class Traces {

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<TraceContext> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return java.util.List.of("traceparent", "tracestate");
        }

        @Override
        public String get(TraceContext carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return "traceparent".equals(key)
                    ? carrier.traceparent()
                    : "tracestate".equals(key) ? carrier.tracestate() : null;
        }
    };

    private Traces() {}

    /** The trace context of {@code context}'s span, or null when it has none (tracing off, outside any trace). */
    public static TraceContext of(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(context, carrier, Map::put);
        return TraceContext.parse(carrier.get("traceparent"), carrier.get("tracestate"));
    }

    /** The trace context of the current span, or null. */
    public static TraceContext current() {
        return of(Context.current());
    }

    /** A context whose (remote) parent is {@code trace}; the root context when null: what starts there is a new trace. */
    public static Context parent(TraceContext trace) {
        return trace == null ? Context.root() : W3C.extract(Context.root(), trace, GETTER);
    }
}
