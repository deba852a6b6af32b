package io.edgefleet.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.util.Map;

/** A real PostgreSQL server (zonky's binaries from Maven Central) as a child process of the test JVM. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres pg;

    @Override
    public Map<String, String> start() {
        long t0 = System.nanoTime();
        try {
            pg = EmbeddedPostgres.builder().start(); // random free port, database/user "postgres", trust auth
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test PostgreSQL", e);
        }
        int port = pg.getPort();
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

    @Override
    public void stop() {
        if (pg != null) {
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("[test-infra] PostgreSQL close failed: " + e);
            }
        }
    }
}
