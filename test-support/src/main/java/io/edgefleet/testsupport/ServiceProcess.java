package io.edgefleet.testsupport;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A second instance of the service under test, as a real process ({@code java -jar} the module's packaged
 * {@code target/quarkus-app/quarkus-run.jar}) beside the {@code @QuarkusTest} instance, on the same Kafka (same
 * principal, same consumer groups), PostgreSQL schema and OIDC test server: for scale-out tests (scheduled jobs run
 * once, either instance answers alike, one instance killed with {@code kill -9}).
 * <p>
 * It runs with profile {@code test} (the {@code %test.} settings of the service's own configuration: short intervals)
 * and the settings of the running test application whose names start with one of the given prefixes (what the test
 * resources started: Kafka, PostgreSQL, OIDC, PKI files), copied from its configuration. Its HTTP port (and HTTPS port)
 * is a free one. The jar is built before the module's tests by the normal build (the module's {@code quarkus:build}
 * runs at {@code process-test-classes}); by hand: {@code mvn -o -q package -DskipTests -pl <module> -am}.
 */
public final class ServiceProcess implements AutoCloseable {

    /** What every service needs from the test resources. */
    public static final List<String> INFRASTRUCTURE =
            List.of("kafka.", "quarkus.datasource.", "quarkus.oidc.", "keycloak.url", "mp.messaging.");

    private final String name;
    private final Path jar;
    private final Map<String, String> properties;
    private final Path logFile;
    private final int httpPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private ServiceProcess(String name, Path jar, Map<String, String> properties, Path logFile, int httpPort) {
        this.name = name;
        this.jar = jar;
        this.properties = properties;
        this.logFile = logFile;
        this.httpPort = httpPort;
    }

    /**
     * Starts the packaged service of the current module ({@code target/quarkus-app/quarkus-run.jar}) with the test
     * application's settings under {@link #INFRASTRUCTURE} and {@code prefixes}, plus {@code overrides}; waits until it
     * is ready.
     */
    public static ServiceProcess start(
            String name, List<String> prefixes, Map<String, String> overrides, Duration startTimeout) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged service at " + jar.toAbsolutePath()
                    + ": build it (mvn -o -q package -DskipTests -pl <module> -am)");
        }
        Map<String, String> properties = new TreeMap<>();
        Config config = ConfigProvider.getConfig();
        List<String> wanted = new ArrayList<>(INFRASTRUCTURE);
        wanted.addAll(prefixes);
        for (String property : config.getPropertyNames()) {
            if (wanted.stream().anyMatch(property::startsWith)) {
                config.getOptionalValue(property, String.class).ifPresent(value -> properties.put(property, value));
            }
        }
        try {
            int port = freePort();
            properties.put("quarkus.profile", "test");
            properties.put("quarkus.http.host", "127.0.0.1");
            properties.put("quarkus.http.port", Integer.toString(port));
            properties.put("quarkus.http.ssl-port", Integer.toString(freePort()));
            properties.putAll(overrides);
            Path log = Files.createTempFile(Path.of("target").toAbsolutePath(), name + "-", ".log");
            ServiceProcess service = new ServiceProcess(name, jar, properties, log, port);
            service.launch(startTimeout);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts another module's packaged service ({@code jar}, e.g. {@code ../appliance-service/target/quarkus-app/
     * quarkus-run.jar}) with exactly {@code properties} (nothing copied from the running application: for tests of an
     * application that is not a service, such as the console, which start the service's infrastructure themselves),
     * profile {@code test}, on a free HTTP port; waits until it is ready.
     */
    public static ServiceProcess startJar(
            String name, Path jar, Map<String, String> properties, Duration startTimeout) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged service at " + jar.toAbsolutePath()
                    + ": build it (mvn -o -q package -DskipTests -pl <module> -am)");
        }
        try {
            Map<String, String> all = new TreeMap<>();
            int port = freePort();
            all.put("quarkus.profile", "test");
            all.put("quarkus.http.host", "127.0.0.1");
            all.put("quarkus.http.port", Integer.toString(port));
            all.put("quarkus.http.ssl-port", Integer.toString(freePort()));
            all.putAll(properties);
            Path log = Files.createTempFile(Path.of("target").toAbsolutePath(), name + "-", ".log");
            ServiceProcess service = new ServiceProcess(name, jar, all, log, port);
            service.launch(startTimeout);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch(Duration startTimeout) throws IOException {
        long t0 = System.nanoTime();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.io.tmpdir=" + logFile.getParent());
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        process.getOutputStream().close();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + logFile);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + startTimeout + "; see " + logFile);
            }
            sleep(250);
        }
        System.out.printf(
                "[test-infra] %s (pid %d, http %d) ready in %d ms; log %s%n",
                name, process.pid(), httpPort, (System.nanoTime() - t0) / 1_000_000, logFile);
    }

    /** {@code /q/health/ready} answers UP. */
    public boolean ready() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no commit, its database sessions end when their sockets close. */
    public void kill() {
        if (alive()) {
            process.destroyForcibly();
            await();
        }
    }

    /** SIGTERM: a clean stop. */
    public void stop() {
        if (alive()) {
            process.destroy();
            await();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public int httpPort() {
        return httpPort;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public Path logFile() {
        return logFile;
    }

    private void await() {
        try {
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
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
}
