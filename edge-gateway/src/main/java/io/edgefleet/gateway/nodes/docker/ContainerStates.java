package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.NodeNames;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Docker's view of a container turned into the gateway's {@link NodeStatus}. */
final class ContainerStates {

    /** How `docker ps` reports an exited container: "Exited (137) 5 seconds ago". */
    private static final Pattern EXITED = Pattern.compile("Exited \\((-?\\d+)\\)");

    private ContainerStates() {}

    static NodeStatus of(InspectContainerResponse c) {
        InspectContainerResponse.ContainerState s = c.getState();
        Long exitCode = s.getExitCodeLong();
        String message = s.getError() != null && !s.getError().isBlank() ? s.getError() : null;
        State state = map(s.getStatus(), exitCode, Boolean.TRUE.equals(s.getOOMKilled()), message);
        Map<String, ContainerNetwork> networks =
                c.getNetworkSettings() == null ? null : c.getNetworkSettings().getNetworks();
        return status(c.getConfig().getLabels(), c.getId(), networks, state);
    }

    static NodeStatus of(Container c) {
        Matcher exited = EXITED.matcher(c.getStatus() == null ? "" : c.getStatus());
        Long exitCode = exited.find() ? Long.valueOf(exited.group(1)) : null;
        State state = map(c.getState(), exitCode, false, null);
        Map<String, ContainerNetwork> networks =
                c.getNetworkSettings() == null ? null : c.getNetworkSettings().getNetworks();
        return status(c.getLabels(), c.getId(), networks, state);
    }

    /** A node whose container is gone; labels (when known) say which node it was. */
    static NodeStatus deleted(Map<String, String> labels, String clusterId, String nodeId, String ref, String message) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        return new NodeStatus(
                l.getOrDefault(NodeNames.CLUSTER, clusterId),
                l.get(NodeNames.POOL_LABEL),
                l.getOrDefault(NodeNames.NODE, nodeId),
                NodeState.DELETED,
                ref,
                null,
                l.get(NodeNames.COMMAND),
                message,
                Instant.now());
    }

    private record State(NodeState state, String message) {}

    /**
     * Docker states: created, running, paused, restarting, removing, exited, dead. An exit with 0 or
     * after SIGTERM (143) is a stop; any other exit is a failure: the node crashed or was killed.
     */
    private static State map(String dockerState, Long exitCode, boolean oomKilled, String error) {
        String state = dockerState == null ? "" : dockerState;
        return switch (state) {
            case "created" -> new State(NodeState.CREATING, "created, not started yet");
            case "running" -> new State(NodeState.RUNNING, null);
            case "paused" -> new State(NodeState.STOPPED, "paused");
            case "removing" -> new State(NodeState.DELETED, "being removed");
            case "restarting" -> new State(NodeState.FAILED, "restarting after exit code " + exitCode);
            case "exited" -> {
                if (oomKilled) {
                    yield new State(NodeState.FAILED, "killed: out of memory");
                }
                if (error != null) {
                    yield new State(NodeState.FAILED, error);
                }
                boolean stopped = exitCode == null || exitCode == 0 || exitCode == 143;
                yield new State(stopped ? NodeState.STOPPED : NodeState.FAILED, "exited with code " + exitCode);
            }
            default ->
                new State(NodeState.FAILED, "Docker state '" + state + "'" + (error != null ? ": " + error : ""));
        };
    }

    private static NodeStatus status(
            Map<String, String> containerLabels, String id, Map<String, ContainerNetwork> networks, State state) {
        Map<String, String> labels = containerLabels == null ? Map.of() : containerLabels;
        String clusterId = labels.get(NodeNames.CLUSTER);
        return new NodeStatus(
                clusterId,
                labels.get(NodeNames.POOL_LABEL),
                labels.get(NodeNames.NODE),
                state.state(),
                id,
                ip(networks, clusterId),
                labels.get(NodeNames.COMMAND),
                state.message(),
                Instant.now(),
                addresses(networks, clusterId));
    }

    /**
     * Every address of the container, on every network it is attached to (IPv4 and global IPv6), the one on its
     * cluster network first (the primary: where the other nodes reach it).
     */
    static List<String> addresses(Map<String, ContainerNetwork> networks, String clusterId) {
        Set<String> found = new LinkedHashSet<>();
        String primary = ip(networks, clusterId);
        if (primary != null) {
            found.add(primary);
        }
        if (networks != null) {
            new TreeMap<>(networks).values().forEach(n -> {
                if (n == null) {
                    return;
                }
                for (String a : new String[] {n.getIpAddress(), n.getGlobalIPv6Address()}) {
                    if (a != null && !a.isBlank()) {
                        found.add(a);
                    }
                }
            });
        }
        return List.copyOf(found);
    }

    /** The node's address on its cluster network (the one address other nodes reach it at). */
    private static String ip(Map<String, ContainerNetwork> networks, String clusterId) {
        if (networks == null
                || clusterId == null
                || !NodeNames.ID.matcher(clusterId).matches()) {
            return null;
        }
        ContainerNetwork network = networks.get(NodeNames.clusterResourceName(clusterId));
        String ip = network == null ? null : network.getIpAddress();
        return ip == null || ip.isBlank() ? null : ip;
    }
}
