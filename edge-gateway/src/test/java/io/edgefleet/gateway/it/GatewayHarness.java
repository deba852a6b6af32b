package io.edgefleet.gateway.it;

import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.testsupport.Eventually;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the gateway integration tests share: a gateway configuration, node specs, the gateway as a process. */
final class GatewayHarness {

    static final String TENANT = "tenant-a";
    static final String DOCKER_HOST = System.getenv().getOrDefault("DOCKER_HOST", GatewayConfig.DEFAULT_DOCKER_HOST);

    private GatewayHarness() {}

    /**
     * A containerized gateway's configuration as the installer writes it: it enrols at {@code edgeUrl} with
     * {@code token} (written 0600 beside it) and trusts the platform CA ({@code caFile}).
     */
    static GatewayConfig config(Path home, String uid, String edgeUrl, String token, Path caFile) throws IOException {
        Files.createDirectories(home);
        Path tokenFile = home.resolve("registration-token");
        Files.deleteIfExists(tokenFile);
        Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tokenFile, token + "\n");
        return new GatewayConfig(
                uid,
                edgeUrl,
                tokenFile,
                "127.0.0.1",
                false,
                null,
                null,
                null,
                null,
                "online",
                "192.168.0.0/16",
                "10.96.0.0/12",
                null,
                null,
                List.of(),
                caFile,
                home.resolve("state"),
                1,
                DOCKER_HOST,
                GatewayConfig.DEFAULT_NODE_IMAGE,
                null);
    }

    static NodeSpec node(String clusterId, String nodeId) {
        return new NodeSpec(
                clusterId,
                "workers",
                nodeId,
                NodeRole.WORKER,
                nodeId,
                new NodeSpec.Resources(1, 64, 0, null),
                GatewayConfig.DEFAULT_NODE_IMAGE,
                null,
                List.of(),
                Map.of(),
                List.of(new NodeSpec.NodeFile(
                        "/etc/edgefleet/bootstrap.yaml", "node: " + nodeId + "\n", "root:root", "0600")),
                Map.of());
    }

    /** Waits until {@code condition} holds or {@code timeout} passes; returns whether it held. */
    static boolean eventually(Duration timeout, BooleanSupplier condition) {
        return Eventually.holds(timeout, Duration.ofMillis(200), condition);
    }

    /** The gateway as a separate process (`edge-gateway run --config`), so that a test can kill it for real. */
    static final class GatewayProcess implements AutoCloseable {
        private final Path configFile;
        private final Path home;
        private Process process;
        private int starts;

        GatewayProcess(Path home, GatewayConfig config) throws IOException {
            this.home = home;
            this.configFile = home.resolve("gateway.properties");
            config.save(configFile);
        }

        GatewayProcess start() throws IOException {
            starts++;
            process = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx192m",
                            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                            "-cp",
                            runtimeClassPath(),
                            "io.edgefleet.gateway.EdgeGatewayMain",
                            "run",
                            "--config",
                            configFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("gateway-" + starts + ".log").toFile())
                    .start();
            return this;
        }

        /**
         * The gateway's own classes and its runtime dependencies, as the installer ships them (written by the build:
         * target/runtime-classpath.txt), not the tests' class path: what only the tests bring must not hide a gap.
         */
        private static String runtimeClassPath() throws IOException {
            String runtime =
                    Files.readString(Path.of("target", "runtime-classpath.txt")).trim();
            return Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + runtime;
        }

        /** SIGKILL: no shutdown hook, no flush, like a power cut of the process. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        @Override
        public void close() throws InterruptedException {
            if (alive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            }
        }
    }
}
