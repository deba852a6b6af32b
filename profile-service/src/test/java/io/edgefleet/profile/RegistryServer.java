package io.edgefleet.profile;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A registry served over HTTP by the test itself (JDK HTTP server on 127.0.0.1, a free port); content can change. */
final class RegistryServer implements AutoCloseable {

    private record Answer(int status, byte[] body) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    RegistryServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Answer answer = answers.getOrDefault(
                    exchange.getRequestURI().getPath(), new Answer(404, "not found".getBytes(StandardCharsets.UTF_8)));
            exchange.getResponseHeaders().add("Content-Type", "application/x-yaml");
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        });
        server.start();
    }

    /** Serves {@code body} with status 200 at {@code path}. */
    RegistryServer serve(String path, String body) {
        return serve(path, 200, body.getBytes(StandardCharsets.UTF_8));
    }

    RegistryServer serve(String path, int status, byte[] body) {
        answers.put(path, new Answer(status, body));
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int requests() {
        return requests.get();
    }

    /** A URL on a port where nothing listens. */
    static String unreachableUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/charts";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
