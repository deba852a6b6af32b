package io.edgefleet.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import io.edgefleet.gateway.nodes.docker.NodeHealth;
import io.edgefleet.gateway.nodes.docker.NodeImages;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.TopicReader;
import io.edgefleet.testsupport.ZipkinTestResource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real edge gateways in this JVM (as edge-gateway's own integration tests run them), each with its own
 * state directory and a device certificate of the test edge CA, on the real edge link: Mosquitto and the edge bridge
 * process of {@link EdgeLinkTestResource} between them and Kafka.
 * Also an independent Docker client to see what really runs, and to remove every container of the
 * clusters a test made even when the test fails.
 */
public final class Gateways implements AutoCloseable {

    public static final String DOCKER_HOST =
            System.getenv().getOrDefault("DOCKER_HOST", GatewayConfig.DEFAULT_DOCKER_HOST);

    private final Map<String, EdgeGateway> running = new ConcurrentHashMap<>();
    /** One certificate per appliance: a restarted gateway resumes its session (a new certificate would start afresh). */
    private final Map<String, EdgePki.Issued> certificates = new ConcurrentHashMap<>();

    private final Map<String, Integer> registrations = new HashMap<>();
    private final Set<String> clusters = ConcurrentHashMap.newKeySet();
    private final DockerClient docker;

    public Gateways() {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(DOCKER_HOST)
                .build();
        this.docker = DockerClientImpl.getInstance(
                config,
                new ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .build());
    }

    public static Path newStateDir(String uid) {
        return Path.of(
                        "target",
                        "gateway-state",
                        uid + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
    }

    /** A containerized appliance's gateway (Docker driver); returns its registration report. */
    public GatewayReport startDocker(String tenant, String uid, Path stateDir) {
        return start(tenant, uid, false, stateDir, new DockerNodeDriver(DOCKER_HOST, tenant));
    }

    /**
     * Like {@link #startDocker}, with nodes that take {@code boot} to be ready, as a real node image's kubelet does (the
     * node image's own check answers within a second): its readiness check passes only that long after it is run.
     */
    public GatewayReport startDockerWithSlowNodes(String tenant, String uid, Path stateDir, Duration boot) {
        NodeHealth slow = new NodeHealth(
                List.of("CMD-SHELL", "sleep " + boot.toSeconds() + " && " + NodeHealth.NODE_IMAGE_CHECK.get(1)),
                null,
                null);
        return start(
                tenant, uid, false, stateDir, new DockerNodeDriver(DOCKER_HOST, tenant, NodeImages.online(), slow));
    }

    public GatewayReport start(String tenant, String uid, boolean virtual, Path stateDir, NodeDriver driver) {
        EdgePki pki = EdgeLinkTestResource.pki();
        EdgePki.Issued device = certificates.computeIfAbsent(tenant + "/" + uid, identity -> pki.device(tenant, uid));
        GatewaySettings settings = GatewaySettings.issued(
                        uid,
                        device.certFile(),
                        device.keyFile(),
                        EdgeLinkTestResource.broker().deviceUrl(),
                        pki.platformCa().certFile(),
                        stateDir)
                .withNodeSettings("127.0.0.1", virtual, "online", "192.168.0.0/16", "10.96.0.0/12")
                .withZipkinEndpoint(ZipkinTestResource.spansEndpoint());
        EdgeGateway gateway = new EdgeGateway(settings, InventoryProbe.ofThisMachine(), driver).start();
        running.put(uid, gateway);
        int expected = registrations.merge(uid, 1, Integer::sum);
        // the registration is sent once the gateway reads its commands: from then on none can be missed
        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            var registered = reports.await(
                    r -> uid.equals(r.key())
                            && EventTypes.GATEWAY_REGISTERED.equals(r.event().type()),
                    expected,
                    Duration.ofSeconds(60));
            assertTrue(registered.size() >= expected, "gateway " + uid + " registered");
            return registered.get(registered.size() - 1).event().dataAs(GatewayReport.class);
        }
    }

    /** Stops the gateway (its node operation under way finishes first); its commands wait in the broker (its session). */
    public void stop(String uid) {
        EdgeGateway gateway = running.remove(uid);
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Remember the cluster: its containers are removed on close, whatever happened. */
    public void track(String clusterId) {
        clusters.add(clusterId);
    }

    public List<Container> containersOf(String clusterId) {
        return docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(NodeNames.CLUSTER, clusterId))
                .exec();
    }

    public InspectContainerResponse inspect(String containerId) {
        return docker.inspectContainerCmd(containerId).exec();
    }

    /** Runs a command in a container and returns what it printed. */
    public String exec(String containerId, String... command) throws InterruptedException {
        String exec = docker.execCreateCmd(containerId)
                .withCmd(command)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec()
                .getId();
        StringBuilder out = new StringBuilder();
        docker.execStartCmd(exec)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                })
                .awaitCompletion(30, TimeUnit.SECONDS);
        return out.toString();
    }

    /** Removes a container by hand, behind the gateway's back (as an operator on the appliance might). */
    public void removeByHand(String containerId) {
        docker.removeContainerCmd(containerId).withForce(true).exec();
    }

    /** {@code docker stop} behind the gateway's back (its main process ends, exit 0), as an engine restart does. */
    public void stopByHand(String containerId) {
        docker.stopContainerCmd(containerId).withTimeout(10).exec();
    }

    /** {@code docker kill}: the node's main process is killed (exit 137, a crash to the gateway). */
    public void killByHand(String containerId) {
        docker.killContainerCmd(containerId).exec();
    }

    /** {@code docker network rm} of the cluster's network (as a {@code docker network prune} does to a stopped one). */
    public void removeNetworkByHand(String clusterId) {
        docker.listNetworksCmd().withNameFilter(NodeNames.clusterResourceName(clusterId)).exec().stream()
                .filter(n -> n.getName().equals(NodeNames.clusterResourceName(clusterId)))
                .forEach(n -> docker.removeNetworkCmd(n.getId()).exec());
    }

    public boolean networkExists(String clusterId) {
        return !docker.listNetworksCmd().withNameFilter(NodeNames.clusterResourceName(clusterId)).exec().stream()
                .filter(n -> n.getName().equals(NodeNames.clusterResourceName(clusterId)))
                .toList()
                .isEmpty();
    }

    @Override
    public void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
        for (String clusterId : clusters) {
            for (Container c : containersOf(clusterId)) {
                try {
                    docker.removeContainerCmd(c.getId())
                            .withForce(true)
                            .withRemoveVolumes(true)
                            .exec();
                } catch (RuntimeException e) {
                    // gone already
                }
            }
            docker.listNetworksCmd()
                    .withNameFilter(NodeNames.clusterResourceName(clusterId))
                    .exec()
                    .forEach(n -> {
                        try {
                            docker.removeNetworkCmd(n.getId()).exec();
                        } catch (RuntimeException e) {
                            // gone already
                        }
                    });
        }
        try {
            docker.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
