package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.NodeAccess;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.nodes.TailBuffer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link NodeAccess} to one node container: Docker exec, the archive API (copy from and to the
 * container) and restart. Every call names the container by id, so a node replaced meanwhile is not
 * touched by mistake.
 */
final class DockerNodeAccess implements NodeAccess {

    private static final Logger LOG = Logger.getLogger(DockerNodeAccess.class);
    private static final long MIB = 1024L * 1024;

    private final DockerClient docker;
    private final DockerEventWatch events;
    private final InspectContainerResponse container;
    private final String name;

    DockerNodeAccess(DockerClient docker, DockerEventWatch events, InspectContainerResponse container, String name) {
        this.docker = docker;
        this.events = events;
        this.container = container;
        this.name = name;
    }

    @Override
    public NodeStatus status() {
        return ContainerStates.of(container);
    }

    @Override
    public NodeFacts facts() {
        Map<String, String> labels = container.getConfig().getLabels() == null
                ? Map.of()
                : container.getConfig().getLabels();
        Map<String, String> specLabels = new HashMap<>();
        labels.forEach((key, value) -> {
            if (key.startsWith(NodeLabels.SPEC_LABEL_PREFIX)) {
                specLabels.put(key.substring(NodeLabels.SPEC_LABEL_PREFIX.length()), value);
            }
        });
        var host = container.getHostConfig();
        double cpus = host == null || host.getNanoCPUs() == null ? 0 : host.getNanoCPUs() / 1e9;
        long memoryMb = host == null || host.getMemory() == null ? 0 : host.getMemory() / MIB;
        return new NodeFacts(
                container.getConfig().getImage(),
                container.getConfig().getHostName(),
                labels.get(NodeNames.POOL_LABEL),
                labels.get(NodeNames.ROLE),
                cpus,
                memoryMb,
                Map.copyOf(specLabels));
    }

    @Override
    public ExecResult exec(List<String> command, Duration timeout, int maxOutputBytes) throws NodeDriverException {
        String execId = call(
                "start a command",
                () -> docker.execCreateCmd(container.getId())
                        .withCmd(command.toArray(String[]::new))
                        .withAttachStdout(true)
                        .withAttachStderr(true)
                        .exec()
                        .getId());
        TailBuffer stdout = new TailBuffer(maxOutputBytes);
        TailBuffer combined = new TailBuffer(maxOutputBytes);
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                if (frame.getStreamType() == StreamType.STDOUT || frame.getStreamType() == StreamType.RAW) {
                    stdout.write(frame.getPayload());
                }
                combined.write(frame.getPayload());
            }
        };
        boolean completed;
        try {
            docker.execStartCmd(execId).exec(callback);
            completed = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeDriverException("interrupted while a command ran in node " + name, e);
        } catch (DockerException e) {
            throw new NodeDriverException("command in node " + name + ": Docker engine refused: " + e.getMessage(), e);
        } finally {
            closeQuietly(callback);
        }
        if (!completed) {
            // Docker has no call to end an exec: the process may go on in the node until it exits itself
            LOG.warnf(
                    "a command in node %s did not end within %d s; stopped waiting for it", name, timeout.toSeconds());
            return new ExecResult(-1, stdout.text(), combined.text(), true);
        }
        Long exit = call(
                "read a command's exit code",
                () -> docker.inspectExecCmd(execId).exec().getExitCodeLong());
        return new ExecResult(exit == null ? -1 : exit.intValue(), stdout.text(), combined.text(), false);
    }

    @Override
    public Optional<InputStream> readDirectory(String absolutePath) throws NodeDriverException {
        try {
            return Optional.of(docker.copyArchiveFromContainerCmd(container.getId(), absolutePath)
                    .exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            throw new NodeDriverException(
                    "read " + absolutePath + " of node " + name + ": Docker engine refused: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new NodeDriverException(
                    "read " + absolutePath + " of node " + name + ": no answer from the Docker engine: " + e, e);
        }
    }

    @Override
    public void writeArchive(String absoluteDirectory, InputStream tar) throws NodeDriverException {
        call("write into " + absoluteDirectory, () -> {
            docker.copyArchiveToContainerCmd(container.getId())
                    .withRemotePath(absoluteDirectory)
                    .withTarInputStream(tar)
                    .exec();
            return null;
        });
    }

    @Override
    public NodeStatus restart(Duration timeout) throws NodeDriverException {
        String id = container.getId();
        events.quiet(id);
        NodeStatus after = null;
        try {
            call("restart", () -> {
                docker.restartContainerCmd(id)
                        .withTimeout(DockerNodeDriver.STOP_TIMEOUT_SECONDS)
                        .exec();
                return null;
            });
            after = awaitRunning(id, timeout);
            LOG.infof("restarted node %s (%s)", name, id);
            return after;
        } finally {
            // report the truth once it is over; when the wait failed, whatever the node is now
            NodeStatus now = after != null ? after : currentOrNull(id);
            events.speak(id, now == null ? null : withMessage(now, "restarted by the gateway"));
        }
    }

    private NodeStatus awaitRunning(String id, Duration timeout) throws NodeDriverException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InspectContainerResponse c =
                    call("inspect", () -> docker.inspectContainerCmd(id).exec());
            if (Boolean.TRUE.equals(c.getState().getRunning())) {
                return ContainerStates.of(c);
            }
            if (System.nanoTime() > deadline) {
                throw new NodeDriverException("node " + name + " is not running " + timeout.toSeconds()
                        + " s after its restart (Docker state " + c.getState().getStatus() + ")");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeDriverException("interrupted while waiting for node " + name + " to run again", e);
            }
        }
    }

    private NodeStatus currentOrNull(String id) {
        try {
            return ContainerStates.of(docker.inspectContainerCmd(id).exec());
        } catch (NotFoundException e) {
            return ContainerStates.deleted(container.getConfig().getLabels(), null, null, id, "container removed");
        } catch (RuntimeException e) {
            return null; // the engine is gone: the watch's resync after reconnecting reports the node
        }
    }

    private static NodeStatus withMessage(NodeStatus s, String message) {
        return new NodeStatus(
                s.clusterId(),
                s.poolName(),
                s.nodeId(),
                s.state(),
                s.ref(),
                s.ip(),
                s.commandId(),
                message + (s.message() != null ? ": " + s.message() : ""),
                s.observedAt());
    }

    private static void closeQuietly(ResultCallback.Adapter<Frame> callback) {
        try {
            callback.close();
        } catch (IOException e) {
            LOG.debug("closing an exec stream", e);
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T run();
    }

    private <T> T call(String what, Step<T> step) throws NodeDriverException {
        try {
            return step.run();
        } catch (NotFoundException e) {
            throw new NodeDriverException(what + " in node " + name + ": the node's container is gone", e);
        } catch (DockerException e) {
            throw new NodeDriverException(what + " in node " + name + ": Docker engine refused: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new NodeDriverException(what + " in node " + name + ": no answer from the Docker engine: " + e, e);
        }
    }
}
