package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.gateway.EdgeGatewayMain;
import io.edgefleet.gateway.metrics.MetricsEndpointTest;
import io.edgefleet.gateway.nodes.ApplianceNodeDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The installer as an operator runs it: {@code -a} names the edge endpoint (stand-in of appliance-service's), the
 * registration token comes from a file, {@code --custom-cacert} is the platform CA that signed the endpoint's and the
 * broker's certificates (so it was installed for the gateway's own connections). The gateway enrols, registers over
 * MQTT and creates nodes that carry the proxy settings and the custom CA. A re-run with a new token stops that
 * gateway and starts one that enrols again.
 */
class InstalledGatewayTest {

    @TempDir
    Path dir;

    @Test
    void theInstalledGatewayEnrolsTrustsTheCustomCaAndReEnrolsWithANewToken() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String uid = "installed-gw-" + suffix;
        String cluster = "installed-" + suffix;
        Path home = dir.resolve("target/edgefleet-gateway");
        Long pid = null;
        try (ManagementPlane plane = ManagementPlane.start(dir.resolve("plane"));
                EnrolmentStandIn enrolment =
                        new EnrolmentStandIn(plane.pki, TENANT, plane.broker.deviceUrl(), Duration.ofHours(1));
                DockerClient docker = DockerClients.connect()) {
            TestBridge bridge = plane.bridge;
            String token = enrolment.issueToken(null, 1);
            Path tokenFile = Files.writeString(dir.resolve("token.txt"), token + "\n");
            int metricsPort = freePort();
            int code = EdgeGatewayMain.execute(
                    "install",
                    "--target",
                    dir.resolve("target").toString(),
                    "--",
                    "-i",
                    "127.0.0.1",
                    "-a",
                    "localhost:" + enrolment.port(),
                    "-d",
                    uid,
                    "--registration-token-file",
                    tokenFile.toString(),
                    "--custom-cacert",
                    plane.pki.platformCa().certFile().toString(),
                    "--http-proxy",
                    "http://10.10.132.89:3128",
                    "--https-proxy",
                    "http://10.10.132.89:3128",
                    "--no-proxy",
                    "localhost,10.10.128.10,.corp.local",
                    "--pod-cidr",
                    "192.168.0.0/16",
                    "--service-cidr",
                    "10.96.0.0/12",
                    "--heartbeat-interval",
                    "2",
                    "--metrics-listen",
                    "127.0.0.1:" + metricsPort);
            assertEquals(0, code, "the installer succeeded");
            pid = pid(home);
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("registration-token"))));
            assertFalse(
                    Files.readString(home.resolve("gateway.properties")).contains(token),
                    "the configuration holds no token");

            var registered = bridge.await(
                    r -> uid.equals(r.uid()) && r.type().equals(EventTypes.GATEWAY_REGISTERED),
                    1,
                    Duration.ofSeconds(90));
            assertEquals(1, registered.size(), "the installed gateway enrolled and registered; its log: " + log(home));
            assertEquals(1, enrolment.count("/v1/enrollments"));
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(home.resolve("state/identity/client.key"))),
                    "the private key is 0600");

            bridge.command(
                    TENANT,
                    uid,
                    EventTypes.CREATE_NODE,
                    new NodeCommand("create-" + cluster, cluster, "n0", node(cluster, "n0")));
            var results = bridge.await(r -> r.type().equals(EventTypes.COMMAND_COMPLETED), 1, Duration.ofSeconds(90));
            CommandResult result = results.get(0).data(CommandResult.class);
            assertEquals(CommandResult.Outcome.SUCCEEDED, result.outcome(), result.message());
            String container = result.node().ref();
            String env = String.join(
                    "\n",
                    docker.inspectContainerCmd(container).exec().getConfig().getEnv());
            assertTrue(
                    env.contains("HTTP_PROXY=http://10.10.132.89:3128")
                            && env.contains("https_proxy=http://10.10.132.89:3128"),
                    env);
            assertTrue(
                    env.contains("NO_PROXY=localhost,127.0.0.1,10.10.128.10,.corp.local,192.168.0.0/16,10.96.0.0/12"),
                    env);
            assertEquals(
                    Files.readString(plane.pki.platformCa().certFile()).strip(),
                    DockerClients.exec(docker, container, "cat", ApplianceNodeDefaults.CA_PATH)
                            .strip(),
                    "the node trusts the custom CA");

            // its metrics, where the installer said: the command it ran, the link, the certificate it enrolled for
            String metrics = scrape(metricsPort);
            assertEquals(
                    1.0,
                    MetricsEndpointTest.sample(
                            metrics,
                            "edgefleet_gateway_commands_seconds_count{outcome=\"SUCCEEDED\",type=\""
                                    + EventTypes.CREATE_NODE + "\"}"),
                    metrics);
            assertEquals(1.0, MetricsEndpointTest.sample(metrics, "edgefleet_gateway_link_ready"));
            assertEquals(enrolment.issued().get(0).getNotAfter().toInstant().getEpochSecond(), (long)
                    MetricsEndpointTest.sample(metrics, "edgefleet_gateway_certificate_not_after_seconds"));
            assertTrue(metrics.contains("jvm_memory_used_bytes"), "the process's own JVM");

            // a re-run with a new token (issued for this uid, as re-enrolment needs): the running gateway is stopped,
            // the new
            // one enrols again and keeps the settings of this run
            String serial = enrolment.issued().get(0).getSerialNumber().toString(16);
            String second = enrolment.issueToken(uid, 1);
            code = EdgeGatewayMain.execute(
                    "install",
                    "--target",
                    dir.resolve("target").toString(),
                    "--",
                    "-i",
                    "127.0.0.1",
                    "-a",
                    "https://localhost:" + enrolment.port(),
                    "-d",
                    uid,
                    "--registration-token",
                    second,
                    "--custom-cacert",
                    plane.pki.platformCa().certFile().toString(),
                    "--no-proxy",
                    "localhost",
                    "--heartbeat-interval",
                    "2",
                    "--metrics-listen",
                    "off");
            assertEquals(0, code, "the second run succeeded");
            long first = pid;
            assertTrue(ProcessHandle.of(first).map(p -> !p.isAlive()).orElse(true), "the first gateway was stopped");
            pid = pid(home);
            assertNotEquals(first, pid);
            assertEquals(
                    2,
                    bridge.await(
                                    r -> uid.equals(r.uid()) && r.type().equals(EventTypes.GATEWAY_REGISTERED),
                                    2,
                                    Duration.ofSeconds(90))
                            .size(),
                    "the new gateway registered; its log: " + log(home));
            assertEquals(2, enrolment.count("/v1/enrollments"), "it enrolled again");
            assertTrue(
                    enrolment
                            .requests()
                            .get(enrolment.requests().size() - 1)
                            .body()
                            .contains(second),
                    "with the new token");
            assertNotEquals(serial, enrolment.issued().get(1).getSerialNumber().toString(16));
            String log = log(home);
            assertFalse(log.contains(token) || log.contains(second), "no token in the gateway's log");
            assertFalse(log.contains("PRIVATE KEY"), "no key in the gateway's log");
        } finally {
            if (pid != null) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            try (DockerClient docker = DockerClients.connect()) {
                DockerClients.removeCluster(docker, cluster);
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The installed gateway's metrics (it serves them once it runs: waits for that). */
    private static String scrape(int port) {
        HttpClient http = HttpClient.newHttpClient();
        String[] body = {null};
        assertTrue(
                GatewayHarness.eventually(Duration.ofSeconds(30), () -> {
                    try {
                        body[0] = http.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                        return true;
                    } catch (Exception notYet) {
                        return false;
                    }
                }),
                "metrics served on port " + port);
        return body[0];
    }

    private static long pid(Path home) throws Exception {
        return Long.parseLong(Files.readString(home.resolve("gateway.pid")).trim());
    }

    private static String log(Path home) throws Exception {
        Path log = home.resolve("logs/gateway.log");
        return Files.exists(log) ? Files.readString(log) : "(none)";
    }
}
