package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.gateway.EdgeGatewayMain;
import io.edgefleet.gateway.nodes.ApplianceNodeDefaults;
import io.edgefleet.gateway.testing.TestPki;
import io.edgefleet.testsupport.KafkaBroker;
import io.edgefleet.testsupport.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The installer as an operator runs it: it starts a gateway that fetches its token over TLS from a
 * server signed by the custom CA (so the CA was installed for the gateway's own connections),
 * registers, and creates nodes that carry the proxy settings and the custom CA.
 */
class InstalledGatewayTest {

    @TempDir
    Path dir;

    @Test
    void theInstalledGatewayTrustsTheCustomCaAndHandsProxyAndCaToItsNodes() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String uid = "installed-gw-" + suffix;
        String cluster = "installed-" + suffix;
        String issuedToken = "issued-" + UUID.randomUUID();
        TestPki pki = TestPki.create();
        HttpsServer tokenEndpoint = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokenEndpoint.setHttpsConfigurator(new HttpsConfigurator(pki.serverContext()));
        tokenEndpoint.createContext("/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok = form.contains("grant_type=client_credentials") && form.contains("client_id=gateway-tenant-a")
                    && form.contains("client_secret=s3cret");
            byte[] body = (ok ? "{\"access_token\":\"" + issuedToken + "\",\"expires_in\":300}" : "{\"error\":\"invalid_client\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        tokenEndpoint.start();
        Path secret = Files.writeString(dir.resolve("secret"), "s3cret\n");
        Long pid = null;
        try (KafkaBroker broker = KafkaBroker.start();
             DockerClient docker = DockerClients.connect();
             var reports = new TopicReader(broker.bootstrapServers(), Topics.GATEWAY_REPORTS);
             var commands = new GatewayHarness.Commands(broker.bootstrapServers(), uid)) {
            int code = EdgeGatewayMain.execute("install", "--target", dir.toString(), "--", "-i", "127.0.0.1",
                    "-a", broker.bootstrapServers(), "-d", uid, "--tenant", GatewayHarness.TENANT,
                    "--client-id", "gateway-tenant-a", "--client-secret-file", secret.toString(),
                    "--token-url", "https://localhost:" + tokenEndpoint.getAddress().getPort() + "/token",
                    "--custom-cacert", pki.caPem().toString(), "--http-proxy", "http://10.10.132.89:3128",
                    "--https-proxy", "http://10.10.132.89:3128", "--no-proxy", "10.10.128.10,.corp.local",
                    "--pod-cidr", "192.168.0.0/16", "--service-cidr", "10.96.0.0/12", "--heartbeat-interval", "2");
            assertEquals(0, code, "the installer succeeded");
            pid = Long.parseLong(Files.readString(dir.resolve("edgefleet-gateway/gateway.pid")).trim());

            var registered = reports.await(r -> uid.equals(r.key()) && r.event().type().equals(EventTypes.GATEWAY_REGISTERED),
                    1, Duration.ofSeconds(90));
            assertEquals(1, registered.size(), "the installed gateway registered; its log: "
                    + Files.readString(dir.resolve("edgefleet-gateway/logs/gateway.log")));
            assertEquals("Bearer " + issuedToken, registeredAuthorization(broker.bootstrapServers(), uid),
                    "with the token fetched over TLS that only the custom CA makes trusted");

            commands.send(EventTypes.CREATE_NODE, new NodeCommand("create-" + cluster, cluster, "n0", node(cluster, "n0")));
            var results = reports.await(r -> r.event().type().equals(EventTypes.COMMAND_COMPLETED), 1, Duration.ofSeconds(90));
            CommandResult result = results.get(0).event().dataAs(CommandResult.class);
            assertEquals(CommandResult.Outcome.SUCCEEDED, result.outcome(), result.message());
            String container = result.node().ref();
            String env = String.join("\n", docker.inspectContainerCmd(container).exec().getConfig().getEnv());
            assertTrue(env.contains("HTTP_PROXY=http://10.10.132.89:3128") && env.contains("https_proxy=http://10.10.132.89:3128"), env);
            assertTrue(env.contains("NO_PROXY=localhost,127.0.0.1,10.10.128.10,.corp.local,192.168.0.0/16,10.96.0.0/12"), env);
            assertEquals(Files.readString(pki.caPem()).strip(),
                    DockerClients.exec(docker, container, "cat", ApplianceNodeDefaults.CA_PATH).strip(), "the node trusts the custom CA");
        } finally {
            tokenEndpoint.stop(0);
            if (pid != null) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            try (DockerClient docker = DockerClients.connect()) {
                DockerClients.removeCluster(docker, cluster);
            }
        }
    }

    /** The authorization header of the gateway's registration, as a consumer sees it. */
    private static String registeredAuthorization(String bootstrap, String uid) {
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(java.util.Map.of(
                "bootstrap.servers", bootstrap, "group.id", "auth-check-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.GATEWAY_REPORTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (uid.equals(record.key()) && EventTypes.GATEWAY_REGISTERED.equals(KafkaCloudEvents.get(record.headers(), KafkaCloudEvents.TYPE))) {
                        return KafkaCloudEvents.get(record.headers(), "authorization"); // rewritten with the edge link
                    }
                }
            }
            return null;
        }
    }
}
