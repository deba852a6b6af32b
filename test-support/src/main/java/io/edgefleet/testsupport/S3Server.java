package io.edgefleet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 API server for tests: S3Proxy (checks AWS v2/v4 signatures, answers NoSuchBucket, ...) as a
 * child process, objects kept as plain files under {@link #dataDir()} (jclouds filesystem provider).
 * <p>
 * Runs the S3Proxy fat jar rather than embedding it: its libraries would clash with the application's on
 * the test class path. Modules copy the jar to {@code target/s3proxy/s3proxy.jar} (see their pom) and the
 * build passes the path as {@code edgefleet.s3proxy.jar}.
 */
public final class S3Server implements AutoCloseable {

    public static final String REGION = "us-east-1";

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final String accessKey;
    private final String secretKey;

    private S3Server(Process process, int port, Path dataDir, String accessKey, String secretKey) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    public static S3Server start() {
        String jar = System.getProperty("edgefleet.s3proxy.jar", "target/s3proxy/s3proxy.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("S3Proxy jar missing at " + jar + ": the module's pom must copy "
                    + "org.gaul:s3proxy:jar-with-dependencies there (mvn process-test-resources)");
        }
        long t0 = System.nanoTime();
        try {
            Path home = Files.createTempDirectory("s3proxy");
            Path data = Files.createDirectories(home.resolve("data"));
            int port = freePort();
            String accessKey = "test-" + UUID.randomUUID().toString().substring(0, 8);
            String secretKey = UUID.randomUUID().toString();
            Path properties = home.resolve("s3proxy.properties");
            Files.writeString(
                    properties,
                    String.join(
                                    "\n",
                                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                                    "s3proxy.authorization=aws-v2-or-v4",
                                    "s3proxy.identity=" + accessKey,
                                    "s3proxy.credential=" + secretKey,
                                    "jclouds.provider=filesystem",
                                    "jclouds.filesystem.basedir=" + data)
                            + "\n");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(
                            List.of(java.toString(), "-Xmx256m", "-jar", jar, "--properties", properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("s3proxy.log").toFile())
                    .start();
            process.getOutputStream().close();
            destroyOnJvmExit(process);
            S3Server server = new S3Server(process, port, data, accessKey, secretKey);
            server.awaitReady(Duration.ofSeconds(60), home.resolve("s3proxy.log"));
            System.out.printf("[test-infra] S3Proxy on port %d in %d ms%n", port, (System.nanoTime() - t0) / 1_000_000);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start S3Proxy", e);
        }
    }

    private static void destroyOnJvmExit(Process process) {
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    }

    private void awaitReady(Duration timeout, Path log) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "S3Proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpURLConnection c =
                        (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                c.getResponseCode(); // any answer (403 for an anonymous request) means it serves
                c.disconnect();
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not answer within " + timeout + ":\n" + Files.readString(log));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Where objects live: {@code <dataDir>/<bucket>/<key>}. */
    public Path dataDir() {
        return dataDir;
    }

    /** Creates a bucket (a directory of the filesystem provider). */
    public void createBucket(String bucket) {
        try {
            Files.createDirectories(dataDir.resolve(bucket));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
