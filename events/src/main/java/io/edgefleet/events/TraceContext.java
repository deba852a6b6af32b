package io.edgefleet.events;

import java.util.regex.Pattern;

/**
 * The W3C trace context an event carries: the CloudEvents distributed-tracing extension ({@code traceparent},
 * {@code tracestate}). It is what makes one cluster creation one trace across the services, Kafka, the edge bridge,
 * MQTT and the gateway (docs/operations.md, "Traces").
 * <p>
 * Only a well-formed {@code traceparent} is kept ({@link #parse}): one from outside that is not (a forged or broken
 * header) is dropped, so the receiver starts a new trace instead of failing — an event never fails for its trace
 * context. No OpenTelemetry classes here: the gateway and the bridge read it with their own SDK.
 *
 * @param traceparent {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}
 * @param tracestate  vendor entries, or null
 */
public record TraceContext(String traceparent, String tracestate) {

    /** {@code version-traceid-parentid-flags}; a later version may append fields after a dash. */
    private static final Pattern TRACEPARENT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    /** W3C: at most 32 list members of bounded size; printable ASCII only. */
    private static final int MAX_TRACESTATE = 512;

    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]*");

    public TraceContext {
        if (!valid(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
        }
        if (tracestate != null && !validState(tracestate)) {
            tracestate = null;
        }
    }

    /** The context of a well-formed {@code traceparent} (with {@code tracestate} when that is sane), else null. */
    public static TraceContext parse(String traceparent, String tracestate) {
        return valid(traceparent) ? new TraceContext(traceparent, tracestate) : null;
    }

    /** The 32 hex digits of the trace id. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }

    /** The 16 hex digits of the span that is the parent of whatever the receiver does. */
    public String parentSpanId() {
        return traceparent.substring(36, 52);
    }

    public static boolean valid(String traceparent) {
        if (traceparent == null || traceparent.length() < 55 || traceparent.length() > 256) {
            return false;
        }
        var m = TRACEPARENT.matcher(traceparent);
        if (!m.matches()) {
            return false;
        }
        String version = m.group(1);
        if ("ff".equals(version) || ("00".equals(version) && m.group(5) != null)) {
            return false;
        }
        return !m.group(2).chars().allMatch(c -> c == '0')
                && !m.group(3).chars().allMatch(c -> c == '0');
    }

    private static boolean validState(String tracestate) {
        return !tracestate.isBlank()
                && tracestate.length() <= MAX_TRACESTATE
                && PRINTABLE.matcher(tracestate).matches();
    }
}
