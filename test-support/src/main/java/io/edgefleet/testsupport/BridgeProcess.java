package io.edgefleet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The edge bridge as a real process ({@code java -jar} its {@code quarkus-run.jar}), for end-to-end tests that need it
 * to crash ({@link #kill()}: SIGKILL) and come back ({@link #restart()}: same configuration, same MQTT client id, so
 * the broker's session and the Kafka consumer groups carry over). Configured with system properties; waits until
 * {@code /q/health/ready} says UP (MQTT connected and subscribed, Kafka reachable).
 * <p>
 * The jar: system property {@code edgefleet.bridge.jar}, else {@code ../edge-bridge/target/quarkus-app/quarkus-run.jar}
 * (from a module directory of this repository); build it with {@code mvn -pl edge-bridge -am package -DskipTests}.
 * No compile dependency on the bridge: it is configured only through its documented settings (edge-bridge/README.md).
 * <pre>{@code
 * try (BridgeProcess bridge = BridgeProcess.forBroker(mosquitto, kafka.clientProperties(KafkaAccess.EDGE_BRIDGE)).start()) {
 *     ...
 *     bridge.kill();
 *     bridge.restart();
 * }
 * }</pre>
 */
public final class BridgeProcess implements AutoCloseable {

    public static final String JAR_PROPERTY = "edgefleet.bridge.jar";
    public static final String DEFAULT_JAR = "../edge-bridge/target/quarkus-app/quarkus-run.jar";

    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m");

    private final JarProcess process;
    private final Duration startTimeout;

    private BridgeProcess(JarProcess process, Duration startTimeout) {
        this.process = process;
        this.startTimeout = startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A bridge for {@code broker}'s platform listener (the test PKI's bridge certificate) and the given Kafka. */
    public static Builder forBroker(MosquittoBroker broker, Map<String, Object> kafkaClientProperties) {
        EdgePki pki = broker.pki();
        return builder()
                .kafka(kafkaClientProperties)
                .mqtt(
                        broker.platformUrl(),
                        pki.bridge().certFile(),
                        pki.bridge().keyFile(),
                        pki.platformCa().certFile());
    }

    public static final class Builder {
        private final Map<String, String> properties = new LinkedHashMap<>();
        private Path jar = Path.of(System.getProperty(JAR_PROPERTY, DEFAULT_JAR));
        private Path logFile;
        private Duration startTimeout = Duration.ofSeconds(90);

        private Builder() {
            clientId("edge-bridge-" + UUID.randomUUID().toString().substring(0, 8));
        }

        /** The bridge's Kafka client settings: bootstrap servers and its login (e.g. {@link KafkaBroker#clientProperties}). */
        public Builder kafka(Map<String, Object> clientProperties) {
            clientProperties.forEach((name, value) -> kafkaProperty(name, String.valueOf(value)));
            return this;
        }

        public Builder kafkaBootstrapServers(String bootstrapServers) {
            return kafkaProperty("bootstrap.servers", bootstrapServers);
        }

        /** Any Kafka client property (SASL, TLS, ...): passed as {@code kafka.<name>}. */
        public Builder kafkaProperty(String name, String value) {
            return property("kafka." + name, value);
        }

        /** The broker's platform listener ({@code ssl://host:port}), the bridge's certificate and key (PEM), the CA of the broker's certificate. */
        public Builder mqtt(String url, Path certFile, Path keyFile, Path caFile) {
            property("bridge.mqtt.url", url);
            property("bridge.mqtt.cert-file", certFile.toAbsolutePath().toString());
            property("bridge.mqtt.key-file", keyFile.toAbsolutePath().toString());
            return property("bridge.mqtt.ca-file", caFile.toAbsolutePath().toString());
        }

        /** The MQTT client id (stable across {@link #restart()}); random by default. */
        public Builder clientId(String clientId) {
            return property("bridge.mqtt.client-id", clientId);
        }

        /** Turns the access sync on for {@code broker}'s device ACL, CRL file and pid file, fetching the CRL from {@code crlUrl}. */
        public Builder accessSync(MosquittoBroker broker, URI crlUrl) {
            return accessSync(
                    broker.deviceAclFile(),
                    broker.crlFile(),
                    broker.pidFile(),
                    broker.pki().edgeCa().certFile(),
                    crlUrl);
        }

        public Builder accessSync(Path aclFile, Path crlFile, Path pidFile, Path edgeCaFile, URI crlUrl) {
            property("bridge.mosquitto.acl-file", aclFile.toAbsolutePath().toString());
            property("bridge.mosquitto.crl-file", crlFile.toAbsolutePath().toString());
            property("bridge.mosquitto.pid-file", pidFile.toAbsolutePath().toString());
            property(
                    "bridge.mosquitto.edge-ca-file", edgeCaFile.toAbsolutePath().toString());
            return property("bridge.mosquitto.crl-url", crlUrl.toString());
        }

        /** Any other setting, e.g. {@code bridge.command-ttl} or a log level. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        /** Where its output goes (appended across restarts); default a temp file. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Starts it and waits until it is ready. */
        public BridgeProcess start() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no edge bridge at " + jar.toAbsolutePath()
                        + ": build it (mvn -pl edge-bridge -am package -DskipTests) or set -D" + JAR_PROPERTY);
            }
            if (!properties.containsKey("kafka.bootstrap.servers") || !properties.containsKey("bridge.mqtt.url")) {
                throw new IllegalStateException(
                        "the bridge needs Kafka (kafkaBootstrapServers) and MQTT (mqtt or forBroker)");
            }
            try {
                if (logFile == null) {
                    logFile = Files.createTempFile("edge-bridge-", ".log");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int port = JarProcess.freePort();
            Map<String, String> all = new LinkedHashMap<>();
            all.put("quarkus.http.host", "127.0.0.1");
            all.put("quarkus.http.port", Integer.toString(port));
            all.putAll(properties);
            BridgeProcess bridge = new BridgeProcess(
                    new JarProcess("edge bridge", jar, JVM_OPTIONS, all, logFile, port), startTimeout);
            bridge.process.launch(startTimeout);
            return bridge;
        }
    }

    /** {@code /q/health/ready} answers UP. */
    public boolean ready() {
        return process.ready();
    }

    /** SIGKILL: no shutdown, no commits, no PUBACKs for what it held. */
    public void kill() {
        process.kill();
    }

    /** Starts it again (stopping it cleanly first if it still runs) with the same configuration and client id. */
    public void restart() {
        stop();
        process.launch(startTimeout);
    }

    /** SIGTERM: a clean stop (it commits what the broker acknowledged and acknowledges what Kafka has). */
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

    /** {@code http://127.0.0.1:<port>/q/health}. */
    public String healthUrl() {
        return "http://127.0.0.1:" + httpPort() + "/q/health";
    }

    public Path logFile() {
        return process.logFile();
    }

    /** The MQTT client id it uses. */
    public String clientId() {
        return process.property("bridge.mqtt.client-id");
    }
}
