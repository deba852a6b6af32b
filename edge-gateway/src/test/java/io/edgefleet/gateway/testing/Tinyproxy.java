package io.edgefleet.gateway.testing;

import io.edgefleet.testsupport.Eventually;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP proxy (Debian's tinyproxy, installed by deploy/ci/mqtt-up.sh) as a child process with its own
 * configuration: loopback only, CONNECT allowed to the given ports only, every connection and request logged.
 */
public final class Tinyproxy implements AutoCloseable {

    public static final String BINARY = System.getProperty("edgefleet.tinyproxy", "/usr/bin/tinyproxy");

    private final Process process;
    private final int port;
    private final Path log;

    private Tinyproxy(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** @param connectPorts the only ports a CONNECT tunnel may go to */
    public static Tinyproxy start(Path dir, List<Integer> connectPorts) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(
                    "tinyproxy is not installed at " + BINARY + ": deploy/ci/mqtt-up.sh installs it");
        }
        Files.createDirectories(dir);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("tinyproxy.log");
        List<String> lines = new ArrayList<>(List.of(
                "Port " + port,
                "Listen 127.0.0.1",
                "Timeout 600",
                "LogFile \"" + log + "\"",
                "LogLevel Connect",
                "MaxClients 20",
                "Allow 127.0.0.1"));
        connectPorts.forEach(p -> lines.add("ConnectPort " + p));
        Path config = Files.writeString(dir.resolve("tinyproxy.conf"), String.join("\n", lines) + "\n");
        Process process = new ProcessBuilder(BINARY, "-d", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("tinyproxy.out").toFile())
                .start();
        Tinyproxy proxy = new Tinyproxy(process, port, log);
        if (!Eventually.holds(
                        Duration.ofSeconds(20), Duration.ofMillis(50), () -> proxy.listening() || !process.isAlive())
                || !proxy.listening()) {
            proxy.close();
            throw new IllegalStateException("tinyproxy did not start; see " + dir.resolve("tinyproxy.out"));
        }
        return proxy;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}, as the installer's proxy flags take it. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** What it logged so far. */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private boolean listening() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
