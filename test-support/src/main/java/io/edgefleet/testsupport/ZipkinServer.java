package io.edgefleet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real trace backend for tests: the Zipkin server (its exec jar from Maven Central, {@code java -jar}, spans kept in
 * memory) as a child process. Services, the bridge and gateways send it spans at {@link #spansEndpoint()}; tests read
 * a trace back with {@link #trace(String)} (Zipkin's query API, {@code /api/v2/trace/{traceId}}).
 * <p>
 * Modules copy the jar to {@code target/zipkin/zipkin.jar} (the parent pom's {@code zipkin} execution of the
 * dependency plugin, bound to a phase in their pom) and the build may pass another path as {@code edgefleet.zipkin.jar}.
 */
public final class ZipkinServer implements AutoCloseable {

    public static final String JAR_PROPERTY = "edgefleet.zipkin.jar";

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ZipkinServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Whether the jar is there to start ({@link #start()} fails clearly otherwise). */
    public static boolean available() {
        return Files.isRegularFile(jar());
    }

    private static Path jar() {
        return Path.of(System.getProperty(JAR_PROPERTY, "target/zipkin/zipkin.jar"));
    }

    public static ZipkinServer start() {
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Zipkin jar missing at " + jar.toAbsolutePath() + ": the module's pom must"
                    + " copy io.zipkin:zipkin-server:exec there (mvn process-test-resources)");
        }
        long t0 = System.nanoTime();
        try {
            Path home = Files.createTempDirectory("zipkin");
            Path log = home.resolve("zipkin.log");
            int port = freePort();
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(List.of(
                            java.toString(),
                            "-Xmx256m",
                            "-XX:TieredStopAtLevel=1",
                            "-Djava.io.tmpdir=" + home,
                            "-jar",
                            jar.toAbsolutePath().toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("QUERY_PORT", Integer.toString(port));
            env.put("STORAGE_TYPE", "mem");
            env.put("MEM_MAX_SPANS", "200000");
            env.put("SELF_TRACING_ENABLED", "false");
            env.put("JAVA_OPTS", "");
            Process process = builder.start();
            process.getOutputStream().close();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            ZipkinServer server = new ZipkinServer(process, port, log);
            server.awaitReady(Duration.ofSeconds(120));
            System.out.printf(
                    "[test-infra] Zipkin on port %d in %d ms; log %s%n",
                    port, (System.nanoTime() - t0) / 1_000_000, log);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Zipkin", e);
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Zipkin exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (get("/health").statusCode() == 200) {
                return;
            }
            sleep(300);
        }
        close();
        throw new IllegalStateException("Zipkin did not answer within " + timeout + ":\n" + Files.readString(log));
    }

    /** {@code http://127.0.0.1:<port>}: the UI and the query API. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where spans go: Zipkin's v2 API. */
    public String spansEndpoint() {
        return url() + "/api/v2/spans";
    }

    /** The spans of one trace as Zipkin's v2 JSON array, or null while it knows none of them. */
    public String trace(String traceId) {
        HttpResponse<String> response = get("/api/v2/trace/" + traceId);
        return response.statusCode() == 200 ? response.body() : null;
    }

    public Path log() {
        return log;
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url() + path))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Unanswered(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unanswered(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** No answer (not up yet): status 0. */
    private record Unanswered(Exception cause) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return 0;
        }

        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public String body() {
            return null;
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public URI uri() {
            return null;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
