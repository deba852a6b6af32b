package io.edgefleet.testsupport;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

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
import java.util.concurrent.TimeUnit;

/**
 * A Quarkus application as a real process ({@code java -jar} its {@code quarkus-run.jar}) on a loopback HTTP port,
 * configured with system properties, its output appended to a log file: what {@link ServiceProcess} and
 * {@link BridgeProcess} start, stop and kill. Ready when {@code /q/health/ready} answers UP.
 */
final class JarProcess {

    private final String name;
    private final Path jar;
    private final List<String> jvmOptions;
    private final Map<String, String> properties;
    private final Path logFile;
    private final int httpPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    /** {@code properties} must set {@code quarkus.http.port} to {@code httpPort} (or the application's default be it). */
    JarProcess(
            String name,
            Path jar,
            List<String> jvmOptions,
            Map<String, String> properties,
            Path logFile,
            int httpPort) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged " + name + " at " + jar.toAbsolutePath()
                    + ": build it (mvn -o -q package -DskipTests -pl <module> -am)");
        }
        this.name = name;
        this.jar = jar;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.properties = Map.copyOf(properties);
        this.logFile = logFile;
        this.httpPort = httpPort;
    }

    /** Starts it and waits until it is ready; fails at once when it exits, with its log named. */
    void launch(Duration startTimeout) {
        long t0 = System.nanoTime();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Djava.io.tmpdir=" + logFile.toAbsolutePath().getParent());
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        try {
            Awaitility.await(name + " ready")
                    .atMost(startTimeout)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!started.isAlive()) {
                            throw new IllegalStateException(
                                    name + " exited with " + started.exitValue() + "; see " + logFile);
                        }
                        return ready();
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " was not ready within " + startTimeout + "; see " + logFile, e);
        }
        System.out.printf(
                "[test-infra] %s (pid %d, http %d) ready in %d ms; log %s%n",
                name, process.pid(), httpPort, (System.nanoTime() - t0) / 1_000_000, logFile);
    }

    /** {@code /q/health/ready} answers UP. */
    boolean ready() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
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

    /** SIGKILL. */
    void kill() {
        if (alive()) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 45 s. */
    void stop() {
        if (alive()) {
            process.destroy();
            awaitExit();
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int httpPort() {
        return httpPort;
    }

    Path logFile() {
        return logFile;
    }

    String property(String key) {
        return properties.get(key);
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
