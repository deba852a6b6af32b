package io.edgefleet.kit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.quarkus.vertx.http.runtime.ExtendedQuarkusVertxHttpMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
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
 * <p>Where Vert.x metrics are configured already (quarkus-opentelemetry installs a metrics factory that names the
 * route of every server span), this goes in front of them: every call reaches them as before, and the HTTP server's
 * {@code requestBegin} first does the above.
 */
@Singleton
public class UnreadableRequests implements VertxOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(UnreadableRequests.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Vert.x's decoder puts in place of a request line it could not read (VertxHttpRequestDecoder). */
    private static final String UNREAD_LINE = "/bad-request";

    @Override
    public void accept(VertxOptions options) {
        MetricsOptions configured = options.getMetricsOptions();
        VertxMetricsFactory previous = configured != null && configured.isEnabled() ? configured.getFactory() : null;
        options.setMetricsOptions(new MetricsOptions()
                .setEnabled(true)
                .setFactory(vertxOptions -> new Hook(previous == null ? null : previous.metrics(vertxOptions))));
    }

    /**
     * The Vert.x metrics: the HTTP server's, in front of those configured before (if any), to which everything else
     * goes. Also Quarkus' extension of them, which Quarkus expects of any metrics when
     * {@code quarkus.http.limits.max-connections} is set.
     */
    static final class Hook implements VertxMetrics, ExtendedQuarkusVertxHttpMetrics {

        private static final VertxMetrics NONE = new VertxMetrics() {};

        private final VertxMetrics next;

        Hook(VertxMetrics next) {
            this.next = next == null ? NONE : next;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress local) {
            HttpServerMetrics nextMetrics = next.createHttpServerMetrics(options, local);
            return new Decoding(nextMetrics == null ? new HttpServerMetrics<>() {} : nextMetrics);
        }

        @Override
        public ConnectionTracker getHttpConnectionTracker() {
            return next instanceof ExtendedQuarkusVertxHttpMetrics extended
                    ? extended.getHttpConnectionTracker()
                    : NOOP_CONNECTION_TRACKER;
        }

        @Override
        public EventBusMetrics createEventBusMetrics() {
            return next.createEventBusMetrics();
        }

        @Override
        public ClientMetrics<?, ?, ?, ?> createClientMetrics(SocketAddress remote, String type, String namespace) {
            return next.createClientMetrics(remote, type, namespace);
        }

        @Override
        public HttpClientMetrics<?, ?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
            return next.createHttpClientMetrics(options);
        }

        @Override
        public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress local) {
            return next.createNetServerMetrics(options, local);
        }

        @Override
        public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
            return next.createNetClientMetrics(options);
        }

        @Override
        public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
            return next.createDatagramSocketMetrics(options);
        }

        @Override
        public PoolMetrics<?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
            return next.createPoolMetrics(poolType, poolName, maxPoolSize);
        }

        @Override
        public void vertxCreated(Vertx vertx) {
            next.vertxCreated(vertx);
        }

        @Override
        public boolean isMetricsEnabled() {
            return true;
        }

        @Override
        public void close() {
            next.close();
        }
    }

    /** The HTTP server's metrics: a request that failed to decode gets a problem; every call also goes on. */
    static final class Decoding<R, W, S> implements HttpServerMetrics<R, W, S> {

        private final HttpServerMetrics<R, W, S> next;

        Decoding(HttpServerMetrics<R, W, S> next) {
            this.next = next;
        }

        @Override
        public R requestBegin(S socketMetric, HttpRequest request) {
            if (request instanceof HttpServerRequest decoded
                    && decoded.decoderResult() != null
                    && decoded.decoderResult().isFailure()
                    && decoded.connection() instanceof HttpServerConnection connection) {
                connection.invalidRequestHandler(UnreadableRequests::answer);
            }
            return next.requestBegin(socketMetric, request);
        }

        @Override
        public void requestEnd(R requestMetric, HttpRequest request, long bytesRead) {
            next.requestEnd(requestMetric, request, bytesRead);
        }

        @Override
        public void requestReset(R requestMetric) {
            next.requestReset(requestMetric);
        }

        @Override
        public void responseBegin(R requestMetric, HttpResponse response) {
            next.responseBegin(requestMetric, response);
        }

        @Override
        public R responsePushed(S socketMetric, HttpMethod method, String uri, HttpResponse response) {
            return next.responsePushed(socketMetric, method, uri, response);
        }

        @Override
        public void responseEnd(R requestMetric, HttpResponse response, long bytesWritten) {
            next.responseEnd(requestMetric, response, bytesWritten);
        }

        @Override
        public W connected(S socketMetric, R requestMetric, ServerWebSocket serverWebSocket) {
            return next.connected(socketMetric, requestMetric, serverWebSocket);
        }

        @Override
        public void disconnected(W serverWebSocketMetric) {
            next.disconnected(serverWebSocketMetric);
        }

        @Override
        public void requestRouted(R requestMetric, String route) {
            next.requestRouted(requestMetric, route);
        }

        @Override
        public S connected(SocketAddress remoteAddress, String remoteName) {
            return next.connected(remoteAddress, remoteName);
        }

        @Override
        public void disconnected(S socketMetric, SocketAddress remoteAddress) {
            next.disconnected(socketMetric, remoteAddress);
        }

        @Override
        public void bytesRead(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            next.bytesRead(socketMetric, remoteAddress, numberOfBytes);
        }

        @Override
        public void bytesWritten(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            next.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
        }

        @Override
        public void exceptionOccurred(S socketMetric, SocketAddress remoteAddress, Throwable t) {
            next.exceptionOccurred(socketMetric, remoteAddress, t);
        }

        @Override
        public void close() {
            next.close();
        }
    }

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
