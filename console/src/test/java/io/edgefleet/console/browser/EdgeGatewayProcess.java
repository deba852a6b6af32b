package io.edgefleet.console.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real edge gateway on this machine, as {@code deploy/local/gateway.sh} runs it: the packaged jar
 * ({@code edge-gateway/target/edge-gateway.jar}) as a process with the configuration the installer writes — it enrols
 * at appliance-service's HTTPS edge endpoint with a registration token (written 0600 beside its configuration), then
 * speaks MQTT over TLS with its own key and certificate, and creates cluster nodes as Docker containers (the Docker
 * engine of {@code DOCKER_HOST} or the default socket, the node image {@code edgefleet/node:latest}). Its home (state
 * directory, log) is under {@code target/gateways/}.
 */
final class EdgeGatewayProcess implements AutoCloseable {

    static final Path JAR = Path.of("..", "edge-gateway", "target", "edge-gateway.jar");
    /** The label the gateway's Docker driver puts on a cluster's containers (edge-gateway's NodeNames.CLUSTER). */
    static final String CLUSTER_LABEL = "io.edgefleet.cluster";

    private final Process process;
    private final Path log;

    private EdgeGatewayProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the gateway of appliance {@code uid}: it enrols at {@code edgeUrl} with {@code token}, trusting the
     * platform CA in {@code caFile} (the edge endpoint's and the broker's server certificates).
     */
    static EdgeGatewayProcess start(String uid, String edgeUrl, String token, Path caFile) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: package edge-gateway first");
        }
        try {
            Path home =
                    Files.createDirectories(Path.of("target", "gateways", uid).toAbsolutePath());
            Path tokenFile = home.resolve("registration-token");
            writeSecret(tokenFile, token + "\n");
            Properties config = new Properties();
            config.setProperty("device.id", uid);
            config.setProperty("edge.url", edgeUrl);
            config.setProperty("registration.token.file", tokenFile.toString());
            config.setProperty("ip", "127.0.0.1");
            config.setProperty("virtual", "false");
            config.setProperty("mode", "online");
            config.setProperty("pod.cidr", "192.168.0.0/16");
            config.setProperty("service.cidr", "10.96.0.0/12");
            config.setProperty("ca.file", caFile.toAbsolutePath().toString());
            config.setProperty("state.dir", home.resolve("state").toString());
            // heartbeats every 5 s; no metrics.listen: no metrics port (it could clash with other gateways here)
            config.setProperty("heartbeat.seconds", "5");
            String dockerHost = System.getenv("DOCKER_HOST");
            if (dockerHost != null && !dockerHost.isBlank()) {
                config.setProperty("docker.host", dockerHost);
            }
            Path configFile = home.resolve("gateway.properties");
            try (var out = Files.newBufferedWriter(configFile)) {
                config.store(out, "the console's browser test gateway");
            }
            Path log = home.resolve("gateway.log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx192m",
                    "-jar",
                    JAR.toAbsolutePath().toString(),
                    "run",
                    "--config",
                    configFile.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new EdgeGatewayProcess(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the edge gateway", e);
        }
    }

    private static void writeSecret(Path file, String value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, value);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** The last lines of its log, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** How many containers of {@code clusterId} are running on this machine's Docker engine. */
    static int nodesOf(String clusterId) throws IOException, InterruptedException {
        String ids = containers(clusterId, false);
        return ids.isEmpty() ? 0 : ids.split("\\s+").length;
    }

    private static String containers(String clusterId, boolean all) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker", "ps", "-q"));
        if (all) {
            command.add("-a");
        }
        command.addAll(List.of("--filter", "label=" + CLUSTER_LABEL + "=" + clusterId));
        Process ps = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(ps.getInputStream().readAllBytes()).trim();
        if (!ps.waitFor(30, TimeUnit.SECONDS) || ps.exitValue() != 0) {
            throw new IOException("docker ps failed: " + out);
        }
        return out;
    }

    /**
     * Removes the containers of {@code clusterId} and then its network (the gateway leaves a cluster's nodes running
     * when it stops, as on an appliance): the test's cluster is not deleted through the API, which would only add time.
     */
    static void removeNodesOf(String clusterId) throws IOException, InterruptedException {
        String ids = containers(clusterId, true);
        if (!ids.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("docker", "rm", "-f"));
            rm.addAll(List.of(ids.split("\\s+")));
            run(rm);
        }
        List<String> networks =
                run(List.of("docker", "network", "ls", "-q", "--filter", "label=" + CLUSTER_LABEL + "=" + clusterId));
        if (!networks.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("docker", "network", "rm"));
            rm.addAll(networks);
            run(rm);
        }
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes()).strip();
        process.waitFor(60, TimeUnit.SECONDS);
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    /** SIGTERM (its shutdown hook closes the MQTT session), SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
