package io.edgefleet.kit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.quarkus.vertx.http.runtime.ExtendedQuarkusVertxHttpMetrics;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Problems for the requests Netty's HTTP/1.x decoder cannot read: a request line over
 * {@code quarkus.http.limits.max-initial-line-length} (414), headers over {@code max-header-size} (431), a header
 * line that is not a header (a control character in a name, no colon: 400). Vert.x hands such a request to its
 * server's {@code invalidRequestHandler} instead of the router, and that handler answers with a bare status.
 *
 * <p>Quarkus (3.33) creates and starts the HTTP server itself and sets no {@code invalidRequestHandler}, nor lets an
 * application set one (its only hook, {@code HttpServerOptionsCustomizer}, sees the options, not the server; the
 * {@code Router} and {@code HttpServerStart} come after {@code listen}, when the server's handlers are fixed). What
 * it does let an application set is the {@code VertxOptions} of its Vert.x ({@link VertxOptionsCustomizer}), and
 * with them a metrics SPI. Vert.x's HTTP/1.x connection reports every request to its metrics ({@code requestBegin})
 * after decoding it and before choosing its handler; for a request that failed to decode, this hook sets the
 * connection's invalid-request handler to one answering with a problem. Nothing else is measured or kept.
 *
 * <p>Where Vert.x metrics are configured otherwise (a metrics extension), this steps aside and says so in the log:
 * those requests get the bare status again.
 */
@Singleton
public class UnreadableRequests implements VertxOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(UnreadableRequests.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Vert.x's decoder puts in place of a request line it could not read (VertxHttpRequestDecoder). */
    private static final String UNREAD_LINE = "/bad-request";

    @Override
    public void accept(VertxOptions options) {
        MetricsOptions metrics = options.getMetricsOptions();
        if (metrics != null && metrics.isEnabled()) {
            LOG.warn("Vert.x metrics are configured elsewhere: requests the HTTP decoder cannot read are answered"
                    + " with Vert.x's bare status, not a problem");
            return;
        }
        options.setMetricsOptions(new MetricsOptions().setEnabled(true).setFactory(vertxOptions -> new Hook()));
    }

    /**
     * The Vert.x metrics: none but the HTTP server's. Also Quarkus' extension of them, which Quarkus expects of any
     * metrics when {@code quarkus.http.limits.max-connections} is set.
     */
    static final class Hook implements VertxMetrics, ExtendedQuarkusVertxHttpMetrics {

        @Override
        public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress local) {
            return DECODING;
        }

        @Override
        public ConnectionTracker getHttpConnectionTracker() {
            return NOOP_CONNECTION_TRACKER;
        }
    }

    private static final HttpServerMetrics<Void, Void, Void> DECODING = new HttpServerMetrics<>() {
        @Override
        public Void requestBegin(Void socketMetric, HttpRequest request) {
            if (request instanceof HttpServerRequest decoded
                    && decoded.decoderResult() != null
                    && decoded.decoderResult().isFailure()
                    && decoded.connection() instanceof HttpServerConnection connection) {
                connection.invalidRequestHandler(UnreadableRequests::answer);
            }
            return null;
        }
    };

    static void answer(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        String reason = cause == null || cause.getMessage() == null ? "malformed" : cause.getMessage();
        if (reason.length() > 300) {
            reason = reason.substring(0, 300);
        }
        Problem problem;
        if (cause instanceof TooLongHttpLineException) {
            problem = problem(
                    "urn:edgefleet:problem:uri-too-long",
                    "URI Too Long",
                    414,
                    "the request line is too long: " + reason,
                    "uri");
        } else if (cause instanceof TooLongHttpHeaderException) {
            problem = problem(
                    "urn:edgefleet:problem:headers-too-large",
                    "Request Header Fields Too Large",
                    431,
                    "the headers are too large: " + reason,
                    "headers");
        } else {
            // the decoder keeps the request it read when the headers fail, and puts a stand-in for an unread line
            boolean lineRead = !UNREAD_LINE.equals(request.uri());
            problem = problem(
                    "urn:edgefleet:problem:invalid-request",
                    "Invalid request",
                    400,
                    "the request is not valid HTTP/1.1: " + reason,
                    lineRead ? "headers" : "request-line");
        }
        LOG.debugf("unreadable request from %s: %s", request.remoteAddress(), reason);
        String body;
        try {
            body = JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // the decoder reads nothing more on this connection
        HttpServerResponse response = request.response();
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body)
                .onComplete(sent -> request.connection().close());
    }

    private static Problem problem(String type, String title, int status, String detail, String field) {
        return new Problem(type, title, status, detail, null, field, List.of(new Problem.FieldError(field, detail)));
    }
}
