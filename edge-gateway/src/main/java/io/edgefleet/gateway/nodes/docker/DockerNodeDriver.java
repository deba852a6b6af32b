package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.edgefleet.events.payload.NodeConsole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.ConsoleText;
import io.edgefleet.gateway.nodes.NodeAccess;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.nodes.NodeSpecChecks;
import io.edgefleet.gateway.nodes.TailBuffer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Nodes of containerized clusters: one Docker container per node, one bridge network per cluster.
 * <p>
 * Thread-safe; calls block until the engine has answered. Operations on one cluster are serialised
 * (so a node's network cannot be removed while another node of the cluster is being created);
 * different clusters proceed in parallel. Across processes, Docker's unique container names keep a
 * node to one container. The constructor does not contact the engine: an unreachable engine shows as a
 * {@link NodeDriverException} on the first call. {@link #watch} starts the event stream (see
 * {@link DockerEventWatch}); {@link #close} stops it and closes the client.
 * <p>
 * A node that has started gets the restart policy {@code unless-stopped}: the engine brings it back after a reboot
 * or an engine restart (why this policy: {@link NodeContainers#keepAcrossEngineRestarts}).
 */
public final class DockerNodeDriver implements NodeDriver {

    private static final Logger LOG = Logger.getLogger(DockerNodeDriver.class);
    /** Starts tried while a racing create's duplicate network makes the name ambiguous (it goes within milliseconds). */
    private static final int AMBIGUOUS_NETWORK_ATTEMPTS = 5;

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** For the wait for a response's headers (an open event stream is not cut by it). */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    /** Grace period of a stop before the engine kills the node (well below the response timeout). */
    static final int STOP_TIMEOUT_SECONDS = 20;
    /** A log read is a few hundred KiB at most: an engine that takes longer is stuck. */
    static final Duration LOG_READ_TIMEOUT = Duration.ofSeconds(20);

    private final String dockerHost;
    private final String tenant;
    private final DockerClient docker;
    private final NodeContainers containers;
    private final ClusterNetworks networks;
    private final DockerEventWatch events;
    private final NodeImages images;
    private final NodeHealth health;
    private final Map<String, Object> clusterLocks = new ConcurrentHashMap<>();

    /**
     * An online installation's driver: a node image the engine lacks is pulled.
     *
     * @param dockerHost the engine, e.g. {@code unix:///var/run/docker.sock}
     * @param tenant     the gateway's tenant, written on (and required of) every container it manages
     */
    public DockerNodeDriver(String dockerHost, String tenant) {
        this(dockerHost, tenant, NodeImages.online());
    }

    /** @param images where a node image the engine lacks comes from (pulled online, the bundle offline) */
    public DockerNodeDriver(String dockerHost, String tenant, NodeImages images) {
        this(dockerHost, tenant, images, NodeHealth.defaults());
    }

    /** @param health the health check set on each node container, and how long a started node has to pass it */
    public DockerNodeDriver(String dockerHost, String tenant, NodeImages images, NodeHealth health) {
        if (tenant == null || !NodeNames.POOL.matcher(tenant).matches()) {
            throw new IllegalArgumentException(
                    "tenant '" + NodeSpecChecks.shown(tenant) + "' must be 1 to 63 lowercase letters, digits or '-'");
        }
        this.dockerHost = dockerHost;
        this.tenant = tenant;
        this.images = images;
        this.health = health;
        this.docker = connect(dockerHost);
        this.containers = new NodeContainers(docker, tenant);
        this.networks = new ClusterNetworks(docker, tenant);
        this.events = new DockerEventWatch(docker, NodeLabels.managed(tenant), this::inspectById, this::listOrFail);
    }

    private static DockerClient connect(String dockerHost) {
        // the explicit host wins over DOCKER_HOST and ~/.docker: the gateway's configuration decides
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(20)
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    @Override
    public NodeStatus create(NodeSpec spec, String commandId) throws NodeDriverException {
        call("check node spec", () -> {
            SpecChecks.check(spec, commandId);
            return null;
        });
        String name = NodeNames.nodeName(spec.clusterId(), spec.nodeId());
        synchronized (lockOf(spec.clusterId())) {
            return call("create node " + name, () -> createOrAdopt(spec, commandId, name, 3));
        }
    }

    /**
     * Another process (a second gateway for the appliance) may create the same node at the same time:
     * whoever loses the name adopts the winner's container, and a loser whose container was taken over
     * leaves it alone. If the container vanishes while being adopted, the whole step runs again.
     */
    private NodeStatus createOrAdopt(NodeSpec spec, String commandId, String name, int attempts)
            throws NodeDriverException {
        try {
            return createOnce(spec, commandId, name);
        } catch (DockerException e) {
            boolean vanished = e instanceof NotFoundException
                    || String.valueOf(e.getMessage()).contains("marked for removal");
            if (!vanished || attempts <= 1) {
                throw e;
            }
            LOG.infof("container %s went away while it was being adopted; creating it again", name);
            return createOrAdopt(spec, commandId, name, attempts - 1);
        }
    }

    private NodeStatus createOnce(NodeSpec spec, String commandId, String name) throws NodeDriverException {
        InspectContainerResponse existing = containers.find(name);
        if (existing != null) {
            return adopt(existing, spec);
        }
        images.ensure(docker, spec.image());
        String networkId = networks.ensure(spec.clusterId());
        CreateContainerResponse created;
        try {
            created = NodeContainerSpec.fill(
                            docker.createContainerCmd(spec.image()), spec, tenant, commandId, networkId, health)
                    .exec();
        } catch (ConflictException e) {
            // the name was taken between our look-up and the create: another process creates the node
            return adopt(containers.awaitRegistered(name), spec);
        }
        String id = created.getId();
        LOG.infof("created container %s (%s) for command %s", name, id, commandId);
        for (String warning : created.getWarnings() == null ? new String[0] : created.getWarnings()) {
            LOG.warnf("container %s: the engine warns: %s", name, warning); // e.g. a limit it cannot enforce
        }
        try {
            containers.copyFiles(id, spec);
            startOnClusterNetwork(id, spec.clusterId());
        } catch (RuntimeException e) {
            InspectContainerResponse now = containers.find(id);
            if (now != null && Boolean.TRUE.equals(now.getState().getRunning())) {
                return ContainerStates.of(now); // another process adopted and started it meanwhile: it is the node
            }
            undoCreate(id, spec.clusterId());
            throw e;
        }
        return ContainerStates.of(docker.inspectContainerCmd(id).exec());
    }

    /**
     * Starts a node's container. dockerd looks the network up by name at start, and while a racing gateway's
     * duplicate network exists (ClusterNetworks) the name is ambiguous: the duplicates go and the start is tried again.
     */
    private void startOnClusterNetwork(String id, String clusterId) throws NodeDriverException {
        for (int attempt = 1; ; attempt++) {
            try {
                containers.start(id);
                containers.keepAcrossEngineRestarts(id);
                return;
            } catch (DockerException e) {
                if (attempt == AMBIGUOUS_NETWORK_ATTEMPTS
                        || !String.valueOf(e.getMessage()).contains("is ambiguous")) {
                    throw e;
                }
                LOG.infof("container %s: its network is ambiguous for a moment (a racing create); trying again", id);
                networks.removeDuplicates(clusterId);
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The container carries our name: take it over if it is ours, else touch nothing. */
    private NodeStatus adopt(InspectContainerResponse c, NodeSpec spec) throws NodeDriverException {
        String name = NodeNames.nodeName(spec.clusterId(), spec.nodeId());
        containers.requireOurs(c, spec.clusterId(), spec.nodeId(), name);
        if ("created".equals(c.getState().getStatus())) {
            containers.copyFiles(
                    c.getId(), spec); // an earlier create stopped before the start: its files may be missing
        }
        if (!Boolean.TRUE.equals(c.getState().getRunning())) {
            startOnClusterNetwork(c.getId(), spec.clusterId());
        }
        LOG.infof("adopted existing container %s (%s)", name, c.getId());
        return ContainerStates.of(docker.inspectContainerCmd(c.getId()).exec());
    }

    @Override
    public NodeStatus start(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        return call("start node " + name, () -> {
            InspectContainerResponse c = containers.requireOurs(containers.require(name), clusterId, nodeId, name);
            containers.start(c.getId());
            containers.keepAcrossEngineRestarts(c.getId()); // also nodes made before the gateway set it
            return ContainerStates.of(docker.inspectContainerCmd(c.getId()).exec());
        });
    }

    /**
     * Waits until the started node's health check passes ({@link ContainerReadiness}): Docker reports it
     * {@code healthy}. Not under the cluster's lock: other operations go on meanwhile. What is known lives in the
     * engine, so a gateway that restarted meanwhile (and runs the command again) simply looks again.
     *
     * @throws NodeDriverException when the node is not healthy within {@link NodeHealth#readyTimeout()} or stopped, with
     *                             the reason (the last check's output) and the container log's last lines
     */
    @Override
    public NodeStatus awaitReady(NodeStatus started, Consumer<String> progress) throws NodeDriverException {
        if (started == null || started.state() != NodeState.RUNNING) {
            return started;
        }
        String clusterId = started.clusterId();
        String nodeId = started.nodeId();
        String name = name(clusterId, nodeId);
        List<String> check = health.execForm();
        ContainerReadiness.Ready ready = ContainerReadiness.await(
                name,
                () -> call("inspect node " + name, () -> containers.find(name)),
                check == null ? null : c -> runCheck(c, name, check),
                health.readyTimeout(),
                progress,
                lines -> logTail(clusterId, nodeId, name, lines));
        NodeStatus s = call(
                "check node " + name,
                () -> ContainerStates.of(containers.requireOurs(ready.container(), clusterId, nodeId, name)));
        return new NodeStatus(
                s.clusterId(),
                s.poolName(),
                s.nodeId(),
                s.state(),
                s.ref(),
                s.ip(),
                s.commandId(),
                ready.reason(),
                s.observedAt(),
                s.addresses());
    }

    /** The node's health check, run once in it now as the engine runs it (exec, the check's own timeout). */
    private ContainerReadiness.CheckRun runCheck(InspectContainerResponse c, String name, List<String> check)
            throws NodeDriverException {
        NodeAccess.ExecResult run =
                new DockerNodeAccess(docker, events, c, name).exec(check, NodeHealth.CHECK_TIMEOUT, 4096);
        return new ContainerReadiness.CheckRun(run.timedOut() ? -1 : run.exitCode(), run.combined());
    }

    /** The log's last lines for a failure message; a log that cannot be read is said so, not thrown. */
    private List<String> logTail(String clusterId, String nodeId, String name, int lines) {
        try {
            return console(clusterId, nodeId, lines, 8192).tail().lines();
        } catch (NodeDriverException e) {
            LOG.warnf("cannot read the log of node %s: %s", name, e.getMessage());
            return List.of("(the container log cannot be read: " + e.getMessage() + ")");
        }
    }

    @Override
    public NodeStatus stop(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        return call("stop node " + name, () -> {
            InspectContainerResponse c = containers.requireOurs(containers.require(name), clusterId, nodeId, name);
            containers.stop(c.getId(), STOP_TIMEOUT_SECONDS);
            return ContainerStates.of(docker.inspectContainerCmd(c.getId()).exec());
        });
    }

    @Override
    public NodeStatus delete(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        synchronized (lockOf(clusterId)) {
            return call("delete node " + name, () -> {
                InspectContainerResponse c = containers.find(name);
                NodeStatus deleted;
                if (c == null) {
                    deleted = ContainerStates.deleted(null, clusterId, nodeId, null, "no such node");
                } else {
                    containers.requireOurs(c, clusterId, nodeId, name);
                    containers.remove(c.getId());
                    LOG.infof("removed container %s (%s)", name, c.getId());
                    deleted =
                            ContainerStates.deleted(c.getConfig().getLabels(), clusterId, nodeId, c.getId(), "removed");
                }
                // also when the node was gone already: an earlier delete may have stopped before this step
                if (containers.ofCluster(clusterId).isEmpty()) {
                    networks.removeAll(clusterId);
                }
                return deleted;
            });
        }
    }

    @Override
    public Optional<NodeStatus> inspect(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        return call("inspect node " + name, () -> {
            InspectContainerResponse c = containers.find(name);
            return c == null
                    ? Optional.empty()
                    : Optional.of(ContainerStates.of(containers.requireOurs(c, clusterId, nodeId, name)));
        });
    }

    @Override
    public List<NodeStatus> list() throws NodeDriverException {
        return call("list nodes", this::listOrFail);
    }

    private List<NodeStatus> listOrFail() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(NodeLabels.managed(tenant)).exec().stream()
                .map(ContainerStates::of)
                .toList();
    }

    @Override
    public void cleanupCluster(String clusterId) throws NodeDriverException {
        String network = name(clusterId);
        synchronized (lockOf(clusterId)) {
            call("clean up cluster " + clusterId, () -> {
                for (Container c : containers.ofCluster(clusterId)) {
                    containers.remove(c.getId());
                    LOG.infof("cleanup of cluster %s: removed container %s", clusterId, c.getId());
                }
                networks.removeAll(clusterId);
                LOG.infof("cleanup of cluster %s: done (network %s)", clusterId, network);
                return null;
            });
        }
    }

    @Override
    public NodeAccess access(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        return call("enter node " + name, () -> {
            InspectContainerResponse c = containers.requireOurs(containers.require(name), clusterId, nodeId, name);
            return new DockerNodeAccess(docker, events, c, name);
        });
    }

    /** The container's output (stdout and stderr, as the engine's log driver kept it), its last lines. */
    @Override
    public NodeConsoleTail console(String clusterId, String nodeId, int lines, int maxBytes)
            throws NodeDriverException {
        String name = name(clusterId, nodeId);
        // the engine returns the last lines; the buffer keeps the memory bounded whatever their length
        TailBuffer out = new TailBuffer(Math.max(maxBytes, 1) * 2);
        return call("read the log of node " + name, () -> {
            InspectContainerResponse c = containers.requireOurs(containers.require(name), clusterId, nodeId, name);
            try {
                docker.logContainerCmd(c.getId())
                        .withStdOut(true)
                        .withStdErr(true)
                        .withTail(lines)
                        .exec(new ResultCallback.Adapter<Frame>() {
                            @Override
                            public void onNext(Frame frame) {
                                out.write(frame.getPayload());
                            }
                        })
                        .awaitCompletion(LOG_READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the log", e);
            }
            List<String> text = ConsoleText.lines(out.text().getBytes(StandardCharsets.UTF_8));
            return new NodeConsoleTail(NodeConsole.Source.CONTAINER_LOG, ConsoleText.last(text, lines, maxBytes));
        });
    }

    @Override
    public void watch(Consumer<NodeStatus> listener) {
        events.add(listener);
    }

    @Override
    public void close() {
        events.close();
        try {
            docker.close();
        } catch (IOException e) {
            LOG.debug("closing the Docker client", e);
        }
    }

    /** How often the event stream was opened since {@link #watch}: more than once after a reconnect. */
    int eventStreamConnections() {
        return events.connections();
    }

    // --- helpers

    private Object lockOf(String clusterId) {
        return clusterLocks.computeIfAbsent(clusterId, id -> new Object());
    }

    private Optional<NodeStatus> inspectById(String id) {
        InspectContainerResponse c = containers.find(id);
        return c == null ? Optional.empty() : Optional.of(ContainerStates.of(c));
    }

    /** Leaves no half-made node (and no network made for it alone): a retry starts from scratch. */
    private void undoCreate(String id, String clusterId) {
        try {
            containers.remove(id);
            if (containers.ofCluster(clusterId).isEmpty()) {
                networks.removeAll(clusterId);
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot remove the half-made container %s: %s", id, e.toString());
        }
    }

    private String name(String clusterId, String nodeId) throws NodeDriverException {
        return call("check ids", () -> NodeNames.nodeName(clusterId, nodeId));
    }

    private String name(String clusterId) throws NodeDriverException {
        return call("check ids", () -> NodeNames.clusterResourceName(clusterId));
    }

    @FunctionalInterface
    private interface DockerCall<T> {
        T run() throws NodeDriverException;
    }

    /** Runs a step and turns what can go wrong (bad input, engine errors, no engine) into a NodeDriverException. */
    private <T> T call(String what, DockerCall<T> step) throws NodeDriverException {
        try {
            return step.run();
        } catch (IllegalArgumentException e) {
            throw new NodeDriverException(what + ": rejected: " + e.getMessage(), e);
        } catch (DockerException e) {
            throw new NodeDriverException(what + ": Docker engine refused: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new NodeDriverException(what + ": no answer from the Docker engine at " + dockerHost + ": " + e, e);
        }
    }
}
