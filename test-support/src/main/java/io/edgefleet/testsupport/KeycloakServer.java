package io.edgefleet.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak (the {@code keycloak-quarkus-dist} of Maven Central, {@code kc.sh start-dev}, H2 in its data
 * directory) with the local stack's realm {@code edgefleet}: its users (admin-a, viewer-a, admin-b, viewer-b with the
 * passwords of deploy/local/keycloak), roles in {@code groups}, the {@code tenant} claim. For tests where a browser
 * logs in (authorization code flow): Quarkus' OIDC test server only signs tokens, it has no login page.
 * <p>
 * The realm is the one deploy/local/keycloak.sh imports ({@code deploy/local/keycloak/edgefleet-realm.json} and the
 * user profile declaring {@code tenant}), with the given secrets for its confidential clients and any redirect URI
 * (the application under test listens on a random port). Modules unpack the distribution with the parent pom's
 * {@code keycloak} execution of maven-dependency-plugin into {@code target/keycloak/}.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "edgefleet";

    private final Process process;
    private final int port;
    private final Path logFile;

    private KeycloakServer(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts Keycloak from the distribution unpacked under {@code distributions} (the one {@code keycloak-*}
     * directory), imports the realm of {@code realmDirectory} (deploy/local/keycloak) with {@code clientSecrets}
     * (client id → secret) and waits until the realm answers.
     */
    public static KeycloakServer start(
            Path distributions, Path realmDirectory, Map<String, String> clientSecrets, Duration startTimeout) {
        long t0 = System.nanoTime();
        try {
            Path dist = distribution(distributions);
            // a fresh database every time: an earlier run's realm (other secrets) would be kept by --import-realm
            deleteTree(dist.resolve("data"));
            Path imports = Files.createDirectories(dist.resolve("data").resolve("import"));
            Files.writeString(imports.resolve(REALM + "-realm.json"), realm(realmDirectory, clientSecrets));
            int port = freePort();
            Path tmp = Files.createDirectories(dist.resolve("data").resolve("tmp"));
            Path log = Files.createTempFile(Path.of("target").toAbsolutePath(), "keycloak-", ".log");
            ProcessBuilder builder = new ProcessBuilder(
                            dist.resolve("bin").resolve("kc.sh").toString(),
                            "start-dev",
                            "--http-host=127.0.0.1",
                            "--http-port=" + port,
                            "--import-realm")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            builder.environment().put("JAVA_OPTS_APPEND", "-Djava.io.tmpdir=" + tmp + " -XX:TieredStopAtLevel=1");
            Process process = builder.start();
            process.getOutputStream().close();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> destroy(process)));
            KeycloakServer server = new KeycloakServer(process, port, log);
            server.awaitReady(startTimeout);
            System.out.printf(
                    "[test-infra] Keycloak (pid %d) on port %d ready in %d ms; log %s%n",
                    process.pid(), port, (System.nanoTime() - t0) / 1_000_000, log);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The realm's issuer, {@code http://localhost:<port>/realms/edgefleet} (as the local stack's). */
    public String issuer() {
        return "http://localhost:" + port + "/realms/" + REALM;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        destroy(process);
    }

    static String realm(Path realmDirectory, Map<String, String> clientSecrets) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode realm = (ObjectNode)
                json.readTree(realmDirectory.resolve(REALM + "-realm.json").toFile());
        for (var client : realm.withArray("clients")) {
            ObjectNode c = (ObjectNode) client;
            String id = c.path("clientId").asText();
            if (!c.path("publicClient").asBoolean(false)) {
                String secret = clientSecrets.get(id);
                if (secret == null) {
                    throw new IllegalArgumentException("no secret given for the confidential client " + id);
                }
                c.put("secret", secret);
            }
            if (c.path("standardFlowEnabled").asBoolean(false)) {
                c.set("redirectUris", json.createArrayNode().add("*"));
                c.set("webOrigins", json.createArrayNode().add("+"));
                ObjectNode attributes =
                        c.has("attributes") ? (ObjectNode) c.get("attributes") : c.putObject("attributes");
                attributes.put("post.logout.redirect.uris", "*");
            }
        }
        // Keycloak keeps only declared user attributes: the profile declaring "tenant" (as keycloak.sh adds it)
        String profile = Files.readString(realmDirectory.resolve("user-profile.json"));
        ObjectNode provider = json.createObjectNode();
        provider.put("providerId", "declarative-user-profile");
        provider.set("subComponents", json.createObjectNode());
        provider.set(
                "config",
                json.createObjectNode()
                        .set(
                                "kc.user.profile.config",
                                json.createArrayNode()
                                        .add(json.readTree(profile).toString())));
        ObjectNode components =
                realm.has("components") ? (ObjectNode) realm.get("components") : realm.putObject("components");
        components.set(
                "org.keycloak.userprofile.UserProfileProvider",
                json.createArrayNode().add(provider));
        return json.writeValueAsString(realm);
    }

    private void awaitReady(Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(discovery)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Keycloak started", e);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + logFile);
            }
            if (System.nanoTime() > deadline) {
                destroy(process);
                throw new IllegalStateException("Keycloak was not ready within " + timeout + "; see " + logFile);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Keycloak started", e);
            }
        }
    }

    private static Path distribution(Path distributions) throws IOException {
        try (Stream<Path> entries = Files.list(distributions)) {
            List<Path> found = entries.filter(p -> p.getFileName().toString().startsWith("keycloak-")
                            && Files.isExecutable(p.resolve("bin").resolve("kc.sh")))
                    .toList();
            if (found.size() != 1) {
                throw new IllegalStateException("expected one Keycloak distribution under "
                        + distributions.toAbsolutePath() + " (the pom's keycloak unpack execution), found " + found);
            }
            return found.get(0);
        }
    }

    private static void destroy(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
