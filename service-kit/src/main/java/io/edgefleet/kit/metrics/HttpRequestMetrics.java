package io.edgefleet.kit.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Every HTTP request answered, as the timer {@code http.server.requests} (Prometheus
 * {@code http_server_requests_seconds_count|sum|max}) tagged method, uri, status and outcome — what the alert
 * {@code ApiServerErrors} reads. Micrometer's own HTTP binder needs the Vert.x metrics SPI, which
 * {@code UnreadableRequests} takes; this times the request from the first route to the end of the response, so
 * requests refused before REST (HttpLimits) count too.
 * <p>
 * {@code uri} is the operation's template ({@code /v1/clusters/{id}}), never the raw path: one series per cluster, or
 * per path a scanner tries, would grow without bound. A request no operation matched is {@code NOT_FOUND} (404) or
 * {@code UNMATCHED}; Quarkus' own endpoints are {@code /q/<name>}.
 */
public class HttpRequestMetrics {

    private static final String URI = HttpRequestMetrics.class.getName() + ".uri";
    private static final Pattern QUARKUS_ENDPOINT = Pattern.compile("/q/[a-z-]{1,30}");

    private final Map<Method, String> templates = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry registry;

    void install(@Observes Router router) {
        // before HttpLimits (ROUTE_ORDER_UPLOAD_LIMIT - 1), so that its refusals are timed too
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(this::time);
    }

    void time(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(done -> record(ctx, System.nanoTime() - start));
        ctx.next();
    }

    /** The operation REST matched, as its template. */
    @ServerRequestFilter(preMatching = false)
    public void matched(ResourceInfo resource, RoutingContext ctx) {
        Method method = resource.getResourceMethod();
        if (method != null) {
            ctx.put(URI, templates.computeIfAbsent(method, m -> template(resource.getResourceClass(), m)));
        }
    }

    private void record(RoutingContext ctx, long nanos) {
        int status = ctx.response().getStatusCode();
        Timer.builder("http.server.requests")
                .description("HTTP requests answered, by operation and status")
                .tag("method", method(ctx.request().method().name()))
                .tag("uri", uri(ctx, status))
                .tag("status", Integer.toString(status))
                .tag("outcome", outcome(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String uri(RoutingContext ctx, int status) {
        String template = ctx.get(URI);
        if (template != null) {
            return template;
        }
        if (status == 404) {
            return "NOT_FOUND";
        }
        String path = ctx.request().path();
        return path != null && QUARKUS_ENDPOINT.matcher(path).matches() ? path : "UNMATCHED";
    }

    /** Only the methods the API knows: anything a client makes up is one series, not one each. */
    private static String method(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" -> method;
            default -> "OTHER";
        };
    }

    private static String outcome(int status) {
        return status >= 500
                ? "SERVER_ERROR"
                : status >= 400 ? "CLIENT_ERROR" : status >= 300 ? "REDIRECTION" : "SUCCESS";
    }

    static String template(Class<?> resource, Method method) {
        String base = path(resource.getAnnotation(Path.class));
        String own = path(method.getAnnotation(Path.class));
        String joined = (base + own).replaceAll("/{2,}", "/");
        return joined.isEmpty() ? "/" : joined;
    }

    private static String path(Path path) {
        if (path == null || path.value().isEmpty()) {
            return "";
        }
        String value = path.value();
        return value.startsWith("/") ? value : "/" + value;
    }
}
