package io.edgefleet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Eclipse Mosquitto 2.0 broker (Debian's {@code mosquitto}) as a child process, configured as the
 * deployment configures it (docs/edge-link.md): a <b>device listener</b> that takes only client certificates of the
 * edge CA (CRL checked, identity = the certificate's CN, client id forced to it) with ACL patterns
 * {@code read edgefleet/%u/commands} and {@code write edgefleet/%u/reports}, and a <b>platform listener</b> for
 * the bridge (platform CA). State persists in {@link #home()} across {@link #kill()} and {@link #restart()}.
 */
public final class MosquittoBroker implements AutoCloseable {

    public static final String BINARY = System.getProperty("edgefleet.mosquitto", "/usr/sbin/mosquitto");

    private final EdgePki pki;
    private final Path home;
    private final int devicePort;
    private final int platformPort;
    private Process process;

    private MosquittoBroker(EdgePki pki, Path home, int devicePort, int platformPort) {
        this.pki = pki;
        this.home = home;
        this.devicePort = devicePort;
        this.platformPort = platformPort;
    }

    /** Starts a broker on two free loopback ports, its files under {@code home}. */
    public static MosquittoBroker start(EdgePki pki, Path home) {
        requireInstalled();
        try {
            Files.createDirectories(home.resolve("data"));
            MosquittoBroker broker = new MosquittoBroker(pki, home, freePort(), freePort());
            Files.writeString(broker.deviceAclFile(), deviceAcl(List.of()));
            Files.writeString(broker.platformAclFile(), platformAcl());
            Files.writeString(broker.configFile(), broker.config());
            broker.launch();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Mosquitto", e);
        }
    }

    /**
     * The platform ACL as the deployment writes it: the bridge reads and writes the edge topics, and reads the broker's
     * connected-client count (its link status carries it: a fleet reconnecting after a broker restart).
     */
    public static String platformAcl() {
        return "user " + EdgePki.BRIDGE_CN
                + "\ntopic readwrite edgefleet/#\ntopic read $SYS/broker/clients/connected\n";
    }

    /** The device ACL as the deployment writes it: the two patterns, then a deny-all entry per cut-off identity. */
    public static String deviceAcl(List<String> deniedIdentities) {
        StringBuilder acl =
                new StringBuilder("pattern read edgefleet/%u/commands\npattern write edgefleet/%u/reports\n");
        deniedIdentities.forEach(
                identity -> acl.append("\nuser ").append(identity).append("\ntopic deny #\n"));
        return acl.toString();
    }

    public static void requireInstalled() {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("Mosquitto is not installed at " + BINARY
                    + ": deploy/ci/mqtt-up.sh installs it (apt-get install mosquitto)");
        }
    }

    private String config() {
        String tls = "certfile " + pki.server().certFile() + "\nkeyfile "
                + pki.server().keyFile() + "\n"
                + "require_certificate true\nuse_identity_as_username true\nallow_anonymous false\n";
        return String.join(
                "\n",
                "# EdgeFleet test broker (test-support MosquittoBroker)",
                isRoot() ? "user root" : "",
                "pid_file " + pidFile(),
                "per_listener_settings true",
                "persistence true",
                "persistence_location " + home.resolve("data") + "/",
                "autosave_interval 30",
                "max_packet_size 1048576",
                "# $SYS/broker/clients/connected every second (the deployment: 10 s), well within the tests' heartbeat timeout",
                "sys_interval 1",
                "# per client: commands waiting for an offline appliance, reports for an away bridge (default 1000, then dropped)",
                "max_queued_messages 100000",
                "# no Nagle on the clients' sockets: a command or report written while the previous packet to that client is"
                        + " unacknowledged would wait for its delayed ACK (~40 ms on Linux)",
                "set_tcp_nodelay true",
                "log_dest stdout",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                "connection_messages true",
                "log_timestamp_format %H:%M:%S",
                "",
                "# devices: edge CA certificates only, CRL checked, identity = CN, no session take-over by others",
                "listener " + devicePort + " 127.0.0.1",
                "cafile " + pki.edgeCa().certFile(),
                "crlfile " + pki.crlFile(),
                tls + "use_username_as_clientid true",
                "acl_file " + deviceAclFile(),
                "",
                "# platform: the bridge (platform CA)",
                "listener " + platformPort + " 127.0.0.1",
                "cafile " + pki.platformCa().certFile(),
                tls + "acl_file " + platformAclFile(),
                "");
    }

    private void launch() throws IOException {
        long t0 = System.nanoTime();
        Files.deleteIfExists(pidFile());
        process = new ProcessBuilder(BINARY, "-c", configFile().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .start();
        process.getOutputStream().close();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(listening(devicePort) && listening(platformPort))) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Mosquitto exited with " + process.exitValue() + "; see " + logFile());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Mosquitto did not open its ports within 20 s; see " + logFile());
            }
            sleep(50);
        }
        System.out.printf(
                "[test-infra] Mosquitto on ports %d (devices) and %d (platform) in %d ms%n",
                devicePort, platformPort, (System.nanoTime() - t0) / 1_000_000);
    }

    public int devicePort() {
        return devicePort;
    }

    public int platformPort() {
        return platformPort;
    }

    /** Where gateways connect. */
    public String deviceUrl() {
        return "ssl://localhost:" + devicePort;
    }

    /** Where the bridge connects. */
    public String platformUrl() {
        return "ssl://localhost:" + platformPort;
    }

    public EdgePki pki() {
        return pki;
    }

    public Path home() {
        return home;
    }

    public Path configFile() {
        return home.resolve("mosquitto.conf");
    }

    public Path deviceAclFile() {
        return home.resolve("device.acl");
    }

    public Path platformAclFile() {
        return home.resolve("platform.acl");
    }

    public Path crlFile() {
        return pki.crlFile();
    }

    public Path pidFile() {
        return home.resolve("mosquitto.pid");
    }

    public Path logFile() {
        return home.resolve("mosquitto.log");
    }

    public long pid() {
        return process.pid();
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** SIGHUP: Mosquitto re-reads its ACL files and the CRL (new TLS handshakes see it). */
    public void reload() {
        signal("-HUP");
    }

    /** SIGKILL: no chance to save its state; what it held only in memory is gone. */
    public void kill() {
        signal("-KILL");
        await();
    }

    /** Starts the broker again with the same configuration, ports and persisted state. */
    public void restart() {
        if (running()) {
            stop();
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A clean stop (SIGTERM: it saves its state). */
    public void stop() {
        if (running()) {
            process.destroy();
            await();
        }
    }

    /** How the broker's last process ended (0: a clean stop), or -1 while it runs. */
    public int exitCode() {
        return process == null || process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            await();
        }
    }

    private void await() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
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
