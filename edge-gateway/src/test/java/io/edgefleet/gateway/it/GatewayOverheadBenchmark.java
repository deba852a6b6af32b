package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Benchmark, not a test: creates and deletes N containerized nodes through the gateway (command on
 * MQTT (the test as the bridge) -> local store -> Docker driver -> result report over MQTT) and the same N containers with raw
 * docker-java calls, and prints the gateway's overhead. Run it with deploy/bench/gateway-overhead.sh.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class GatewayOverheadBenchmark {

    private static final String TENANT = "bench";
    private static final String IMAGE = GatewayConfig.DEFAULT_NODE_IMAGE;
    private static final String DOCKER_HOST =
            System.getenv().getOrDefault("DOCKER_HOST", GatewayConfig.DEFAULT_DOCKER_HOST);

    record Timing(double createMs, double deleteMs) {}

    @Test
    void printOverhead() throws Exception {
        int nodes = Integer.getInteger("nodes", 10);
        raw(2, "warm"); // warm-up: image layers, the engine's caches, the JIT
        Timing raw = raw(nodes, "raw");
        Timing gateway = throughGateway(nodes);
        System.out.printf(
                "%n== gateway overhead, %d containerized nodes (created, then deleted, one after another) ==%n", nodes);
        System.out.printf("%-26s %16s %16s%n", "", "create ms/node", "delete ms/node");
        System.out.printf(
                "%-26s %16.0f %16.0f%n", "raw docker-java calls", raw.createMs() / nodes, raw.deleteMs() / nodes);
        System.out.printf(
                "%-26s %16.0f %16.0f%n", "through the gateway", gateway.createMs() / nodes, gateway.deleteMs() / nodes);
        System.out.printf(
                "%-26s %+15.0f%% %+15.0f%%%n",
                "overhead",
                100 * (gateway.createMs() / raw.createMs() - 1),
                100 * (gateway.deleteMs() / raw.deleteMs() - 1));
        System.out.printf(
                "(gateway: from publishing the commands until every result report was read back over MQTT)%n%n");
    }

    /** The same containers (image, labels, limits, network) with plain docker-java calls. */
    private Timing raw(int nodes, String prefix) throws Exception {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(DOCKER_HOST)
                .build();
        try (DockerClient docker = DockerClientImpl.getInstance(
                config,
                new ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .build())) {
            String network =
                    "bench-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
            docker.createNetworkCmd().withName(network).withDriver("bridge").exec();
            List<String> ids = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < nodes; i++) {
                String id = docker.createContainerCmd(IMAGE)
                        .withName(network + "-n" + i)
                        .withHostName("n" + i)
                        .withLabels(Map.of("io.edgefleet.bench", network))
                        .withHostConfig(HostConfig.newHostConfig()
                                .withNetworkMode(network)
                                .withMemory(64L << 20)
                                .withNanoCPUs(1_000_000_000L))
                        .exec()
                        .getId();
                docker.startContainerCmd(id).exec();
                ids.add(id);
            }
            long t1 = System.nanoTime();
            for (String id : ids) {
                docker.removeContainerCmd(id)
                        .withForce(true)
                        .withRemoveVolumes(true)
                        .exec();
            }
            long t2 = System.nanoTime();
            docker.removeNetworkCmd(network).exec();
            return new Timing((t1 - t0) / 1e6, (t2 - t1) / 1e6);
        }
    }

    private Timing throughGateway(int nodes) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String uid = "bench-gw-" + suffix;
        String cluster = "bench-" + suffix;
        Path state = Files.createTempDirectory("bench-gateway");
        try (ManagementPlane plane = ManagementPlane.start(state.resolve("plane"))) {
            var device = plane.pki.device(TENANT, uid);
            GatewaySettings settings = GatewaySettings.issued(
                            uid,
                            device.certFile(),
                            device.keyFile(),
                            plane.broker.deviceUrl(),
                            plane.pki.platformCa().certFile(),
                            state.resolve("gateway"))
                    .withHeartbeatInterval(Duration.ofSeconds(30));
            TestBridge bridge = plane.bridge;
            try (var gateway = new EdgeGateway(
                            settings, InventoryProbe.ofThisMachine(), new DockerNodeDriver(DOCKER_HOST, TENANT))
                    .start()) {
                bridge.await(r -> r.type().equals(EventTypes.GATEWAY_REGISTERED), 1, Duration.ofSeconds(60));
                long t0 = System.nanoTime();
                for (int i = 0; i < nodes; i++) {
                    NodeSpec spec = new NodeSpec(
                            cluster,
                            "workers",
                            "n" + i,
                            NodeRole.WORKER,
                            "n" + i,
                            new NodeSpec.Resources(1, 64, 0, null),
                            IMAGE,
                            null,
                            List.of(),
                            Map.of(),
                            List.of(),
                            Map.of());
                    bridge.command(
                            TENANT,
                            uid,
                            EventTypes.CREATE_NODE,
                            "/edgefleet/benchmark",
                            new NodeCommand("create-" + i, cluster, "n" + i, spec),
                            TestBridge.COMMAND_TTL);
                }
                awaitResults(bridge, "create-", nodes);
                long t1 = System.nanoTime();
                for (int i = 0; i < nodes; i++) {
                    bridge.command(
                            TENANT,
                            uid,
                            EventTypes.DELETE_NODE,
                            "/edgefleet/benchmark",
                            new NodeCommand("delete-" + i, cluster, "n" + i, null),
                            TestBridge.COMMAND_TTL);
                }
                awaitResults(bridge, "delete-", nodes);
                long t2 = System.nanoTime();
                return new Timing((t1 - t0) / 1e6, (t2 - t1) / 1e6);
            }
        }
    }

    private static void awaitResults(TestBridge reports, String prefix, int count) {
        var results = reports.await(
                r -> r.type().equals(EventTypes.COMMAND_COMPLETED)
                        && r.data(CommandResult.class).commandId().startsWith(prefix),
                count,
                Duration.ofMinutes(10));
        if (results.stream()
                        .map(r -> r.data(CommandResult.class).commandId())
                        .distinct()
                        .count()
                < count) {
            throw new IllegalStateException("not every " + prefix + " command finished");
        }
        results.stream()
                .map(r -> r.data(CommandResult.class))
                .filter(r -> r.outcome() != CommandResult.Outcome.SUCCEEDED)
                .findFirst()
                .ifPresent(r -> {
                    throw new IllegalStateException("command " + r.commandId() + " failed: " + r.message());
                });
    }
}
