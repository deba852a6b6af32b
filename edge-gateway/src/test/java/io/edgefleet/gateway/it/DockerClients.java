package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.edgefleet.gateway.nodes.NodeNames;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An independent Docker client, to check what really runs and to clean up after a test. */
final class DockerClients {

    private DockerClients() {}

    static DockerClient connect() {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(GatewayHarness.DOCKER_HOST)
                .build();
        return DockerClientImpl.getInstance(
                config,
                new ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .build());
    }

    static List<Container> nodesOf(DockerClient docker, String clusterId) {
        return docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(NodeNames.CLUSTER, clusterId))
                .exec();
    }

    /** Runs a command in a container and returns what it printed. */
    static String exec(DockerClient docker, String containerId, String... command) throws InterruptedException {
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

    /** Removes every container and the network of the cluster, whatever the test left. */
    static void removeCluster(DockerClient docker, String clusterId) {
        for (Container container : nodesOf(docker, clusterId)) {
            try {
                docker.removeContainerCmd(container.getId())
                        .withForce(true)
                        .withRemoveVolumes(true)
                        .exec();
            } catch (RuntimeException e) {
                // already gone
            }
        }
        docker.listNetworksCmd()
                .withNameFilter(NodeNames.clusterResourceName(clusterId))
                .exec()
                .forEach(network -> {
                    try {
                        docker.removeNetworkCmd(network.getId()).exec();
                    } catch (RuntimeException e) {
                        // already gone
                    }
                });
    }
}
