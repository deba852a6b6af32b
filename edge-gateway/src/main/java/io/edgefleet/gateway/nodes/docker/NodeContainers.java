package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.RestartPolicy;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.nodes.NodeDriverException;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;

/**
 * The container steps of the driver, each idempotent (a missing container on remove, a running one on
 * start are fine), and the look-ups that tell our containers from foreign ones.
 */
final class NodeContainers {

    private static final Logger LOG = Logger.getLogger(NodeContainers.class);
    /** How long a create that lost the race for the name waits for the winner's container. */
    static final Duration CONFLICT_WAIT = Duration.ofSeconds(10);

    private final DockerClient docker;
    private final String tenant;

    NodeContainers(DockerClient docker, String tenant) {
        this.docker = docker;
        this.tenant = tenant;
    }

    /** By name (or id); null when there is none. */
    InspectContainerResponse find(String nameOrId) {
        try {
            return docker.inspectContainerCmd(nameOrId).exec();
        } catch (NotFoundException e) {
            return null;
        }
    }

    InspectContainerResponse require(String name) throws NodeDriverException {
        InspectContainerResponse c = find(name);
        if (c == null) {
            throw new NodeDriverException("node " + name + " does not exist");
        }
        return c;
    }

    /** The container itself when it is this gateway's node {@code clusterId/nodeId}; fails otherwise. */
    InspectContainerResponse requireOurs(InspectContainerResponse c, String clusterId, String nodeId, String name)
            throws NodeDriverException {
        if (!NodeLabels.isOurs(c.getConfig().getLabels(), tenant, clusterId, nodeId)) {
            throw new NodeDriverException(
                    "container name " + name + " is taken by a container this gateway did not create (" + c.getId()
                            + "); it was left untouched: remove or rename it");
        }
        return c;
    }

    /**
     * The engine reserves a name before the container can be inspected: after a name conflict, wait
     * until the other creator's container shows up.
     */
    InspectContainerResponse awaitRegistered(String name) throws NodeDriverException {
        long deadline = System.nanoTime() + CONFLICT_WAIT.toNanos();
        InspectContainerResponse c;
        while ((c = find(name)) == null) {
            if (System.nanoTime() > deadline) {
                throw new NodeDriverException("container name " + name + " is reserved, but no container of that name"
                        + " appeared within " + CONFLICT_WAIT.toSeconds() + " s; try again");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeDriverException("interrupted while waiting for container " + name, e);
            }
        }
        return c;
    }

    /** Every container of the cluster that carries our labels, in any state. */
    List<Container> ofCluster(String clusterId) {
        return docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(NodeLabels.cluster(tenant, clusterId))
                .exec();
    }

    /** Files and SSH keys, extracted at "/" (also into a created, not yet started container). */
    void copyFiles(String id, NodeSpec spec) {
        byte[] tar = NodeFilesArchive.of(spec.files(), spec.sshAuthorizedKeys());
        if (tar != null) {
            docker.copyArchiveToContainerCmd(id)
                    .withRemotePath("/")
                    .withNoOverwriteDirNonDir(true)
                    .withTarInputStream(new ByteArrayInputStream(tar))
                    .exec();
        }
    }

    void start(String id) {
        try {
            docker.startContainerCmd(id).exec();
        } catch (NotModifiedException e) {
            LOG.debugf("container %s was running already", id);
        }
    }

    /**
     * Gives a started node the restart policy {@code unless-stopped}, so the engine itself starts it again when it
     * comes back (a reboot or power cut, a dockerd restart or upgrade) — before and without the gateway, which may
     * start later or not at all, and without the management plane, which an edge site may not reach then.
     * <p>
     * Why {@code unless-stopped}: it brings back what ran when the engine went away, and nothing that was stopped on
     * purpose — {@code docker stop}, the gateway's stop-node, or {@code docker kill} (Docker cancels the policy for a
     * container it kills) stay stopped, so the policy never fights the management plane; such a node is started by
     * the gateway's reconcile or cluster-service's repair, which know whether it should run. {@code always} would
     * revive a node the platform stopped; {@code on-failure} would not revive nodes after a clean engine shutdown
     * (they exit 0 or 143). A node that crashes is restarted at once by the engine (with its growing back-off), which
     * is what its gateway then reports.
     * <p>
     * Set after the first start, not at create: a container that was created but never started (a create cut short)
     * has not got its files yet and must not be started by the engine; the create that resumes adopts it.
     */
    void keepAcrossEngineRestarts(String id) {
        docker.updateContainerCmd(id)
                .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
                .exec();
    }

    void stop(String id, int timeoutSeconds) {
        try {
            docker.stopContainerCmd(id).withTimeout(timeoutSeconds).exec();
        } catch (NotModifiedException e) {
            LOG.debugf("container %s was stopped already", id);
        }
    }

    /** Forced (a running node goes too), with its anonymous volumes. */
    void remove(String id) {
        try {
            docker.removeContainerCmd(id)
                    .withForce(true)
                    .withRemoveVolumes(true)
                    .exec();
        } catch (NotFoundException e) {
            LOG.debugf("container %s was removed already", id);
        }
    }
}
