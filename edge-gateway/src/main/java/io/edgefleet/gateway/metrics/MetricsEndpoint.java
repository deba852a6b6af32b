package io.edgefleet.gateway.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} on the address the configuration names ({@code metrics.listen}; the installer's default is
 * loopback: a Prometheus or node agent on the appliance scrapes it). Read-only, no ids in it, nothing else served.
 * One thread: a scrape is a few SQLite reads and a text rendering.
 */
public final class MetricsEndpoint implements AutoCloseable {

    public static final String PATH = "/metrics";
    private static final Logger LOG = Logger.getLogger(MetricsEndpoint.class);
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService thread;

    private MetricsEndpoint(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /** Listens on {@code address} (port 0: any free port) until closed. */
    public static MetricsEndpoint serve(InetSocketAddress address, GatewayMetrics metrics) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        server.createContext("/", exchange -> answer(exchange, metrics));
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gateway-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        server.start();
        MetricsEndpoint endpoint = new MetricsEndpoint(server, thread);
        LOG.infof("metrics on http://%s%s", endpoint.address(), PATH);
        return endpoint;
    }

    private static void answer(HttpExchange exchange, GatewayMetrics metrics) throws IOException {
        try (exchange) {
            exchange.getRequestBody().close();
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                send(exchange, 404, "text/plain; charset=utf-8", "only " + PATH + " is served here\n");
            } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "GET or HEAD only\n");
            } else {
                send(exchange, 200, CONTENT_TYPE, metrics.scrape());
            }
        } catch (RuntimeException e) {
            LOG.warnf("a metrics scrape failed: %s", e.getMessage());
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
