package io.edgefleet.testsupport;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");

    private final JarProcess process;

    private ServiceProcess(JarProcess process) {
        this.process = process;
    }

    /**
     * Starts the packaged service of the current module ({@code target/quarkus-app/quarkus-run.jar}) with the test
     * application's settings under {@link #INFRASTRUCTURE} and {@code prefixes}, plus {@code overrides}; waits until it
     * is ready.
     */
    public static ServiceProcess start(
            String name, List<String> prefixes, Map<String, String> overrides, Duration startTimeout) {
        Map<String, String> properties = new TreeMap<>();
        Config config = ConfigProvider.getConfig();
        List<String> wanted = new ArrayList<>(INFRASTRUCTURE);
        wanted.addAll(prefixes);
        for (String property : config.getPropertyNames()) {
            if (wanted.stream().anyMatch(property::startsWith)) {
                config.getOptionalValue(property, String.class).ifPresent(value -> properties.put(property, value));
            }
        }
        properties.putAll(overrides);
        return startJar(name, Path.of("target", "quarkus-app", "quarkus-run.jar"), properties, startTimeout);
    }

    /**
     * Starts another module's packaged service ({@code jar}, e.g. {@code ../appliance-service/target/quarkus-app/
     * quarkus-run.jar}) with exactly {@code properties} (nothing copied from the running application: for tests of an
     * application that is not a service, such as the console, which start the service's infrastructure themselves),
     * profile {@code test}, on a free HTTP port; waits until it is ready.
     */
    public static ServiceProcess startJar(
            String name, Path jar, Map<String, String> properties, Duration startTimeout) {
        Map<String, String> all = new TreeMap<>();
        int port = JarProcess.freePort();
        all.put("quarkus.profile", "test");
        all.put("quarkus.http.host", "127.0.0.1");
        all.put("quarkus.http.port", Integer.toString(port));
        all.put("quarkus.http.ssl-port", Integer.toString(JarProcess.freePort()));
        all.putAll(properties);
        try {
            Path log = Files.createTempFile(Path.of("target").toAbsolutePath(), name + "-", ".log");
            ServiceProcess service = new ServiceProcess(new JarProcess(name, jar, JVM_OPTIONS, all, log, port));
            service.process.launch(startTimeout);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code /q/health/ready} answers UP. */
    public boolean ready() {
        return process.ready();
    }

    /** SIGKILL: no shutdown hook, no commit, its database sessions end when their sockets close. */
    public void kill() {
        process.kill();
    }

    /** SIGTERM: a clean stop. */
    public void stop() {
        process.stop();
    }

    @Override
    public void close() {
        stop();
    }

    public boolean alive() {
        return process.alive();
    }

    public long pid() {
        return process.pid();
    }

    public int httpPort() {
        return process.httpPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort();
    }

    public Path logFile() {
        return process.logFile();
    }
}
