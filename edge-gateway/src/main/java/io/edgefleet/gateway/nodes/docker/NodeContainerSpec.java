package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.HostConfig;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.nodes.NodeNames;

import java.util.ArrayList;
import java.util.List;

/** Fills Docker's create request from a checked {@link NodeSpec}. */
final class NodeContainerSpec {

    private static final long MIB = 1024L * 1024;
    private static final long NANOS_PER_CPU = 1_000_000_000L;

    private NodeContainerSpec() {}

    static CreateContainerCmd fill(
            CreateContainerCmd cmd,
            NodeSpec spec,
            String tenant,
            String commandId,
            String networkId,
            NodeHealth health) {
        String hostname = hostname(spec);
        return cmd.withName(NodeNames.nodeName(spec.clusterId(), spec.nodeId()))
                .withHostName(hostname)
                .withLabels(NodeLabels.node(spec, tenant, commandId))
                .withEnv(env(spec))
                // the engine's DNS answers for the container name and these aliases, not for the hostname itself
                .withAliases(aliases(hostname))
                .withHostConfig(hostConfig(spec, networkId))
                // the node is ready (RUNNING) only once the engine reports this check healthy
                .withHealthcheck(health.toDocker());
    }

    /** The spec's hostname; the node id (a valid host name) when it has none. */
    static String hostname(NodeSpec spec) {
        return spec.hostname() != null ? spec.hostname() : spec.nodeId();
    }

    /**
     * No {@code withInit(true)}: the node image brings its own init (busybox init here, systemd in
     * Kubernetes node images), which must be PID 1 and refuses to run under Docker's tini
     * ("init: must be run as PID 1"). That init handles SIGTERM, so stops stay quick.
     */
    private static HostConfig hostConfig(NodeSpec spec, String networkId) {
        // by id: dockerd may briefly hold two networks of one name (see ClusterNetworks)
        HostConfig host = HostConfig.newHostConfig().withNetworkMode(networkId);
        NodeSpec.Resources r = spec.resources();
        if (r != null) {
            if (r.cpus() > 0) {
                host.withNanoCPUs(r.cpus() * NANOS_PER_CPU);
            }
            if (r.memoryMb() > 0) {
                // swap as large as memory means no swap: kubelet expects none
                host.withMemory(r.memoryMb() * MIB).withMemorySwap(r.memoryMb() * MIB);
            }
            if (r.cpuSet() != null) {
                host.withCpusetCpus(r.cpuSet());
            }
        }
        return host;
    }

    private static List<String> env(NodeSpec spec) {
        List<String> env = new ArrayList<>();
        if (spec.env() != null) {
            spec.env().forEach((name, value) -> env.add(name + "=" + value));
        }
        return env;
    }

    /** The full hostname and, for a dotted one, its first label: nodes often use the short name. */
    private static List<String> aliases(String hostname) {
        int dot = hostname.indexOf('.');
        return dot < 0 ? List.of(hostname) : List.of(hostname, hostname.substring(0, dot));
    }
}
