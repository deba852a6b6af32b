package io.edgefleet.cluster.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.agroal.api.AgroalDataSource;
import io.edgefleet.cluster.Api;
import io.edgefleet.cluster.Bus;
import io.edgefleet.cluster.Fixtures;
import io.edgefleet.cluster.Gateways;
import io.edgefleet.cluster.TestInfrastructure;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.nodes.docker.NodeHealth;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.testsupport.TestTokens.TENANT_A;

/**
 * Benchmark, not a test (deploy/bench/create-to-running.sh): a containerized cluster (1 master + 2 workers) from
 * the REST create to RUNNING through cluster-service, Kafka, the real gateway and Docker — against the same three
 * containers made with raw docker-java calls (network, create, start, in the same order: master, then both
 * workers), each waited for until the node image's readiness check passes in it, as a node is RUNNING only once it
 * is ready (polled every 20 ms: a raw script could not tell sooner). Each round is deleted before the next.
 */
@QuarkusTest
@TestInfrastructure
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class CreateToRunningBenchmark {

    /** NodeHealth.NODE_IMAGE_CHECK as the engine runs it. */
    private static final List<String> READY_CHECK = List.of("/bin/sh", "-c", NodeHealth.NODE_IMAGE_CHECK.get(1));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @Test
    void restCreateToRunningAgainstRawDockerRuns() throws Exception {
        int rounds = Integer.getInteger("rounds", 3);
        String uid = "bench-docker-" + UUID.randomUUID().toString().substring(0, 4);
        List<Long> platform = new ArrayList<>();
        List<Long> raw = new ArrayList<>();
        List<Long> rawStarted = new ArrayList<>();
        try (Gateways gateways = new Gateways();
                Bus bus = new Bus(db);
                DockerClient docker = docker()) {
            ProfileSnapshot profile =
                    Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
            bus.profile(TENANT_A, profile);
            bus.appliance(TENANT_A, Fixtures.ready(gateways.startDocker(TENANT_A, uid, Gateways.newStateDir(uid)), 1));
            for (int round = 0; round <= rounds; round++) { // round 0 warms up (image cache, JIT) and is not counted
                long t0 = System.nanoTime();
                String id = Api.admin(TENANT_A)
                        .body(Fixtures.containerizedCluster("bench-" + round, profile.id(), uid, 2, uid))
                        .post("/v1/clusters")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id");
                gateways.track(id);
                Api.awaitStatus(TENANT_A, id, "RUNNING", Duration.ofMinutes(2));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                Api.admin(TENANT_A).delete("/v1/clusters/" + id).then().statusCode(202);
                Api.awaitStatus(TENANT_A, id, "DELETED", Duration.ofMinutes(2));

                long r0 = System.nanoTime();
                long startingMs = rawDockerRuns(
                        docker, "raw-" + UUID.randomUUID().toString().substring(0, 8));
                long rawMs = (System.nanoTime() - r0) / 1_000_000;
                if (round > 0) {
                    platform.add(ms);
                    raw.add(rawMs);
                    rawStarted.add(startingMs);
                }
                System.out.printf(
                        "[bench] round %d%s: REST create -> RUNNING %d ms; raw docker runs until ready %d ms"
                                + " (of which network, create and start calls %d ms)%n",
                        round, round == 0 ? " (warm-up)" : "", ms, rawMs, startingMs);
            }
        }
        double p = platform.stream().mapToLong(Long::longValue).average().orElse(0);
        double r = raw.stream().mapToLong(Long::longValue).average().orElse(0);
        double started =
                rawStarted.stream().mapToLong(Long::longValue).average().orElse(0);
        System.out.printf(
                "[bench] 1 master + 2 workers, %d rounds: REST create -> RUNNING %.0f ms on average, raw docker runs"
                        + " until ready %.0f ms (control plane overhead %.0f ms, x%.2f); of the raw runs, the network,"
                        + " create and start calls %.0f ms%n",
                rounds, p, r, p - r, r == 0 ? 0 : p / r, started);
    }

    /**
     * What the gateway's driver does for three nodes, without anything around it: each created, started and waited
     * for until its readiness check passes (the next only then, as the gateway does); then removes them.
     *
     * @return the time spent in the network, create and start calls alone (ms)
     */
    private static long rawDockerRuns(DockerClient docker, String name) {
        long t0 = System.nanoTime();
        String network = docker.createNetworkCmd()
                .withName(name)
                .withDriver("bridge")
                .exec()
                .getId();
        long calls = System.nanoTime() - t0;
        List<String> ids = new ArrayList<>();
        try {
            for (String node : List.of("m0", "w0", "w1")) {
                long c0 = System.nanoTime();
                String id = docker.createContainerCmd(GatewayConfig.DEFAULT_NODE_IMAGE)
                        .withName(name + "-" + node)
                        .withHostName(node)
                        .withLabels(Map.of("io.edgefleet.bench", "raw"))
                        .withHostConfig(HostConfig.newHostConfig()
                                .withNetworkMode(network)
                                .withNanoCPUs(1_000_000_000L)
                                .withMemory(1L << 30)
                                .withMemorySwap(1L << 30))
                        .exec()
                        .getId();
                ids.add(id);
                docker.startContainerCmd(id).exec();
                calls += System.nanoTime() - c0;
                Awaitility.await()
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(20))
                        .atMost(Duration.ofMinutes(1))
                        .until(() -> checkPasses(docker, id));
            }
        } finally {
            ids.forEach(id -> docker.removeContainerCmd(id)
                    .withForce(true)
                    .withRemoveVolumes(true)
                    .exec());
            docker.removeNetworkCmd(network).exec();
        }
        return calls / 1_000_000;
    }

    /** The node image's readiness check (the gateway's default), run once in the container now. */
    private static boolean checkPasses(DockerClient docker, String id) throws InterruptedException {
        String exec = docker.execCreateCmd(id)
                .withCmd(READY_CHECK.toArray(String[]::new))
                .exec()
                .getId();
        docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion();
        Long exit = docker.inspectExecCmd(exec).exec().getExitCodeLong();
        return exit != null && exit == 0;
    }

    private static DockerClient docker() {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(Gateways.DOCKER_HOST)
                .build();
        return DockerClientImpl.getInstance(
                config,
                new ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .build());
    }
}
