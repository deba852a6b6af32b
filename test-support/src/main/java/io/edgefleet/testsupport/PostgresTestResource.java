package io.edgefleet.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (zonky's binaries from Maven Central) as a child process of the test JVM. A test may stop
 * it and start it again ({@link #stopServer()}, {@link #startServer()}): same port, same data, as after an outage.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile PostgresTestResource current;

    private Path dataDirectory;
    private int port;
    private EmbeddedPostgres pg;

    @Override
    public Map<String, String> start() {
        long t0 = System.nanoTime();
        try {
            dataDirectory = Files.createTempDirectory("edgefleet-pg");
            pg = builder().start(); // random free port, database/user "postgres", trust auth
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test PostgreSQL", e);
        }
        port = pg.getPort();
        current = this;
        System.out.printf("[test-infra] PostgreSQL on port %d in %d ms%n", port, (System.nanoTime() - t0) / 1_000_000);
        return Map.of(
                "quarkus.datasource.reactive.url",
                "postgresql://localhost:" + port + "/postgres",
                "quarkus.datasource.jdbc.url",
                "jdbc:postgresql://localhost:" + port + "/postgres",
                "quarkus.datasource.username",
                "postgres",
                "quarkus.datasource.password",
                "postgres");
    }

    private EmbeddedPostgres.Builder builder() {
        // the data directory survives a stop, so a start finds the database as it was
        return EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false);
    }

    /** Stops the test PostgreSQL (a fast shutdown: connections are cut, as in an outage). */
    public static void stopServer() throws IOException {
        PostgresTestResource resource = running();
        resource.pg.close();
    }

    /** Starts it again on the same port with the same data. */
    public static void startServer() throws IOException {
        PostgresTestResource resource = running();
        resource.pg = resource.builder().setPort(resource.port).start();
    }

    private static PostgresTestResource running() {
        PostgresTestResource resource = current;
        if (resource == null) {
            throw new IllegalStateException("no test PostgreSQL was started");
        }
        return resource;
    }

    @Override
    public void stop() {
        if (pg != null) {
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("[test-infra] PostgreSQL close failed: " + e);
            }
        }
        if (dataDirectory != null) {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                System.err.println("[test-infra] PostgreSQL data not removed: " + e);
            }
        }
        current = null;
    }
}
