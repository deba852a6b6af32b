package io.edgefleet.policy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.TestPublisher;
import io.edgefleet.testsupport.TopicReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One edge appliance for the end-to-end tests: a real gateway in this JVM with the Docker node driver on
 * the real engine, and clusters built on it the way cluster-service builds them (create-node commands
 * with a rendered bootstrap file). Also a Docker client to look into the nodes and plant problems in them.
 */
public final class EdgeSite implements AutoCloseable {

    public static final String DOCKER_HOST =
            System.getenv().getOrDefault("DOCKER_HOST", GatewayConfig.DEFAULT_DOCKER_HOST);

    private final String tenant;
    private final String uid;
    private final Path stateDir;
    private final DockerClient docker;
    private final TestPublisher producer = new TestPublisher();
    private final Set<String> clusters = ConcurrentHashMap.newKeySet();
    private EdgeGateway gateway;
    private EdgePki.Issued device;

    public EdgeSite(String tenant, String uid) {
        this.tenant = tenant;
        this.uid = uid;
        this.stateDir = Path.of(
                        "target",
                        "gateway-state",
                        uid + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(DOCKER_HOST)
                .build();
        this.docker = DockerClientImpl.getInstance(
                config,
                new ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .build());
    }

    public String uid() {
        return uid;
    }

    /** What the gateway keeps on its way to or from the object store (archives of backups and restores). */
    public List<Path> taskFiles() {
        try (var files = java.nio.file.Files.list(stateDir.resolve("tasks"))) {
            return files.toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts the gateway and waits for its registration (from then on it reads its commands). */
    public void startGateway() {
        if (device == null) { // one certificate for the site: a restarted gateway resumes its MQTT session
            device = EdgeLinkTestResource.pki().device(tenant, uid);
        }
        GatewaySettings settings = GatewaySettings.issued(
                        uid,
                        device.certFile(),
                        device.keyFile(),
                        EdgeLinkTestResource.broker().deviceUrl(),
                        EdgeLinkTestResource.pki().platformCa().certFile(),
                        stateDir)
                .withNodeSettings("127.0.0.1", false, "online", "192.168.0.0/16", "10.96.0.0/12");
        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            int before =
                    reports.settle(this::registration, Duration.ofMillis(300)).size();
            gateway = new EdgeGateway(
                            settings, InventoryProbe.ofThisMachine(), new DockerNodeDriver(DOCKER_HOST, tenant))
                    .start();
            assertTrue(
                    reports.await(this::registration, before + 1, Duration.ofSeconds(60))
                                    .size()
                            > before,
                    "gateway " + uid + " registered");
        }
    }

    private boolean registration(TopicReader.Received r) {
        return uid.equals(r.key())
                && EventTypes.GATEWAY_REGISTERED.equals(r.event().type());
    }

    /** Stops the gateway; commands sent meanwhile wait in the broker (its MQTT session). */
    public void stopGateway() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }

    /** Builds a cluster of one master and one worker on this appliance, as cluster-service would; returns its nodes. */
    public List<ClusterSnapshot.Node> buildCluster(String clusterId) {
        clusters.add(clusterId);
        List<ClusterSnapshot.Node> nodes = List.of(
                new ClusterSnapshot.Node(clusterId + "-m0", "masters", uid, "RUNNING"),
                new ClusterSnapshot.Node(clusterId + "-w0", "workers", uid, "RUNNING"));
        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            List<String> commandIds = new ArrayList<>();
            for (ClusterSnapshot.Node n : nodes) {
                String commandId = UUID.randomUUID().toString();
                commandIds.add(commandId);
                send(EventTypes.CREATE_NODE, new NodeCommand(commandId, clusterId, n.nodeId(), spec(clusterId, n)));
            }
            var results = reports.await(
                    r -> EventTypes.COMMAND_COMPLETED.equals(r.event().type())
                            && commandIds.contains(
                                    r.event().dataAs(CommandResult.class).commandId()),
                    2,
                    Duration.ofSeconds(90));
            assertEquals(2, results.size(), "both nodes of " + clusterId + " created");
            results.forEach(r -> assertEquals(
                    CommandResult.Outcome.SUCCEEDED,
                    r.event().dataAs(CommandResult.class).outcome(),
                    () -> r.event().dataAs(CommandResult.class).message()));
        }
        return nodes;
    }

    /** What cluster-service renders for a node: the kubeadm-style bootstrap (0600 root:root) among its files. */
    private static NodeSpec spec(String clusterId, ClusterSnapshot.Node n) {
        boolean master = n.poolName().equals("masters");
        String bootstrapYaml =
                """
                apiVersion: edgefleet.io/v1
                kind: NodeBootstrap
                cluster:
                  id: %s
                  name: %s
                  cloudType: containerized
                node:
                  id: %s
                  pool: %s
                  role: %s
                kubernetes:
                  version: 1.30.4
                  podCIDR: 192.168.0.0/16
                  serviceCIDR: 10.96.0.0/12
                ntp:
                  servers: [pool.ntp.org]
                """.formatted(clusterId, clusterId, n.nodeId(), n.poolName(), master ? "MASTER" : "WORKER");
        return new NodeSpec(
                clusterId,
                n.poolName(),
                n.nodeId(),
                master ? NodeRole.MASTER : NodeRole.WORKER,
                n.nodeId(),
                new NodeSpec.Resources(1, 128, 0, null),
                GatewayConfig.DEFAULT_NODE_IMAGE,
                null,
                List.of(),
                Map.of(),
                List.of(new NodeSpec.NodeFile("/etc/edgefleet/bootstrap.yaml", bootstrapYaml, "root:root", "0600")),
                Map.of("edgefleet.io/profile", "demo"));
    }

    private void send(String type, Object payload) {
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/cluster-service",
                type,
                uid,
                tenant,
                Instant.now(),
                EventJson.write(payload));
        try {
            producer.send(KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, uid, event));
        } catch (Exception e) {
            throw new IllegalStateException("could not send a command", e);
        }
    }

    public String containerOf(String clusterId, String nodeId) {
        List<Container> found = docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(NodeNames.CLUSTER, clusterId, NodeNames.NODE, nodeId))
                .exec();
        assertEquals(1, found.size(), "one container for node " + nodeId);
        return found.get(0).getId();
    }

    public boolean running(String clusterId, String nodeId) {
        return Boolean.TRUE.equals(docker.inspectContainerCmd(containerOf(clusterId, nodeId))
                .exec()
                .getState()
                .getRunning());
    }

    /** Runs a shell command in a node and returns what it printed. */
    public String sh(String clusterId, String nodeId, String command) {
        String exec = docker.execCreateCmd(containerOf(clusterId, nodeId))
                .withCmd("sh", "-c", command)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec()
                .getId();
        StringBuilder out = new StringBuilder();
        try {
            docker.execStartCmd(exec)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    })
                    .awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toString();
    }

    @Override
    public void close() {
        stopGateway();
        producer.close();
        for (String clusterId : clusters) {
            for (Container c : docker.listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(NodeNames.CLUSTER, clusterId))
                    .exec()) {
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
