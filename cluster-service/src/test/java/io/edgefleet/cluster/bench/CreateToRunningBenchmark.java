package io.edgefleet.cluster.bench;

import com.github.dockerjava.api.DockerClient;
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
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
 * workers). Each round is deleted before the next.
 */
@QuarkusTest
@TestInfrastructure
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class CreateToRunningBenchmark {

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
                rawDockerRuns(docker, "raw-" + UUID.randomUUID().toString().substring(0, 8));
                long rawMs = (System.nanoTime() - r0) / 1_000_000;
                if (round > 0) {
                    platform.add(ms);
                    raw.add(rawMs);
                }
                System.out.printf(
                        "[bench] round %d%s: REST create -> RUNNING %d ms; raw docker runs %d ms%n",
                        round, round == 0 ? " (warm-up)" : "", ms, rawMs);
            }
        }
        double p = platform.stream().mapToLong(Long::longValue).average().orElse(0);
        double r = raw.stream().mapToLong(Long::longValue).average().orElse(0);
        System.out.printf(
                "[bench] 1 master + 2 workers, %d rounds: REST create -> RUNNING %.0f ms on average, raw docker %.0f ms"
                        + " (control plane overhead %.0f ms, x%.1f)%n",
                rounds, p, r, p - r, r == 0 ? 0 : p / r);
    }

    /** What the gateway's driver does for three nodes, without anything around it; then removes them. */
    private static void rawDockerRuns(DockerClient docker, String name) {
        String network = docker.createNetworkCmd()
                .withName(name)
                .withDriver("bridge")
                .exec()
                .getId();
        List<String> ids = new ArrayList<>();
        try {
            for (String node : List.of("m0", "w0", "w1")) {
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
            }
        } finally {
            ids.forEach(id -> docker.removeContainerCmd(id)
                    .withForce(true)
                    .withRemoveVolumes(true)
                    .exec());
            docker.removeNetworkCmd(network).exec();
        }
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
