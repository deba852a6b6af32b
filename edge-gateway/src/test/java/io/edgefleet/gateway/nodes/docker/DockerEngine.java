package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.edgefleet.gateway.nodes.NodeNames;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The tests' own view of the real engine, independent of the driver under test: what exists, exec in
 * containers, and cleanup of everything a test tenant left behind.
 */
final class DockerEngine {

    static final String HOST = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    static final String NODE_IMAGE = "edgefleet/node:latest";

    final DockerClient client;

    private DockerEngine(DockerClient client) {
        this.client = client;
    }

    /** Fails (never skips) when the engine or the node image is missing: these tests need both. */
    static DockerEngine require() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(HOST)
                .build();
        DockerClient client = DockerClientImpl.getInstance(
                config,
                new ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .connectionTimeout(Duration.ofSeconds(5))
                        .responseTimeout(Duration.ofSeconds(60))
                        .build());
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            fail("no Docker engine at " + HOST + ": run deploy/ci/docker-up.sh (" + e + ")");
        }
        try {
            client.inspectImageCmd(NODE_IMAGE).exec();
        } catch (NotFoundException e) {
            fail("node image " + NODE_IMAGE + " missing at " + HOST + ": run deploy/ci/docker-up.sh");
        }
        return new DockerEngine(client);
    }

    InspectContainerResponse container(String nameOrId) {
        try {
            return client.inspectContainerCmd(nameOrId).exec();
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** Containers named exactly {@code name}, in any state ("name" filters match substrings). */
    List<Container> containersNamed(String name) {
        return client.listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec().stream()
                .filter(c -> List.of(c.getNames()).contains("/" + name))
                .toList();
    }

    List<Network> networksNamed(String name) {
        return client.listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> name.equals(n.getName()))
                .toList();
    }

    /** A container that is not the driver's, created (not started) so that nothing runs in it. */
    String foreignContainer(String name, Map<String, String> labels) {
        return client.createContainerCmd(NODE_IMAGE)
                .withName(name)
                .withLabels(labels)
                .exec()
                .getId();
    }

    /** Runs a command in a running container; fails unless it exits 0; returns its stdout. */
    String exec(String containerId, String... command) throws InterruptedException {
        ExecCreateCmdResponse exec = client.execCreateCmd(containerId)
                .withCmd(command)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        client.execStartCmd(exec.getId())
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        (frame.getStreamType() == StreamType.STDERR ? err : out).writeBytes(frame.getPayload());
                    }
                })
                .awaitCompletion(30, TimeUnit.SECONDS);
        Long exit = client.inspectExecCmd(exec.getId()).exec().getExitCodeLong();
        assertEquals(0L, exit, () -> String.join(" ", command) + " failed: " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Removes every container and network of a tenant, and the named foreign containers. */
    void cleanup(String tenant, List<String> foreignNames) {
        for (Container c : client.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(NodeNames.TENANT, tenant))
                .exec()) {
            removeContainer(c.getId());
        }
        foreignNames.forEach(this::removeContainer);
        for (Network n : client.listNetworksCmd()
                .withFilter("label", List.of(NodeNames.TENANT + "=" + tenant))
                .exec()) {
            try {
                client.removeNetworkCmd(n.getId()).exec();
            } catch (NotFoundException e) {
                // gone already
            }
        }
    }

    private void removeContainer(String nameOrId) {
        try {
            client.removeContainerCmd(nameOrId)
                    .withForce(true)
                    .withRemoveVolumes(true)
                    .exec();
        } catch (NotFoundException e) {
            // gone already
        }
    }
}
