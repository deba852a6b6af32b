package io.edgefleet.gateway.it;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.config.GatewayConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** What the gateway integration tests share: a gateway configuration, node specs and a command sender. */
final class GatewayHarness {

    static final String TENANT = "tenant-a";
    static final String DOCKER_HOST = System.getenv().getOrDefault("DOCKER_HOST", GatewayConfig.DEFAULT_DOCKER_HOST);

    private GatewayHarness() {
    }

    /** A containerized gateway's configuration; its credential is a token file (the broker does not check tokens). */
    static GatewayConfig config(Path home, String uid, String bootstrap) throws IOException {
        Files.createDirectories(home);
        Path token = Files.writeString(home.resolve("token"), "token-not-checked-by-the-broker");
        return new GatewayConfig(uid, TENANT, bootstrap, "127.0.0.1", false, null, null, null, null, "online",
                "192.168.0.0/16", "10.96.0.0/12", "http://proxy.test:3128", null, List.of(".internal"), null,
                null, null, null, token, home.resolve("state"), 1, DOCKER_HOST, GatewayConfig.DEFAULT_NODE_IMAGE);
    }

    static NodeSpec node(String clusterId, String nodeId) {
        return new NodeSpec(clusterId, "workers", nodeId, NodeRole.WORKER, nodeId,
                new NodeSpec.Resources(1, 64, 0, null), GatewayConfig.DEFAULT_NODE_IMAGE, null, List.of(), Map.of(),
                List.of(new NodeSpec.NodeFile("/etc/edgefleet/bootstrap.yaml", "node: " + nodeId + "\n", "root:root", "0600")),
                Map.of());
    }

    /** Sends commands on gateway-commands as cluster-service does: keyed and addressed by appliance uid. */
    static final class Commands implements AutoCloseable {
        private final KafkaProducer<String, byte[]> producer;
        private final String uid;

        Commands(String bootstrap, String uid) {
            this.uid = uid;
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringSerializer(), new ByteArraySerializer());
        }

        void send(String type, NodeCommand command) {
            send(type, "/edgefleet/cluster-service", command);
        }

        /** Any command payload (a policy-service NodeTask too), from {@code source}. */
        void send(String type, String source, Object payload) {
            CloudEvent event = new CloudEvent(UUID.randomUUID().toString(), source, type, uid, TENANT,
                    Instant.now(), EventJson.write(payload));
            try {
                producer.send(KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, uid, event)).get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("could not send a command", e);
            }
        }

        @Override
        public void close() {
            producer.close();
        }
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
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m",
                    "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                    "-cp", System.getProperty("java.class.path"), "io.edgefleet.gateway.EdgeGatewayMain", "run", "--config",
                    configFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("gateway-" + starts + ".log").toFile())
                    .start();
            return this;
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
