package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.NodeNames;
import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.Date;
import java.util.List;

/**
 * One user-defined bridge network per cluster, {@code ef-<cluster>}: the engine's DNS on it lets the
 * nodes find each other by name (the default bridge has no DNS, and here there is no default bridge).
 * Callers serialise the calls for one cluster; this class copes with other processes doing the same.
 */
final class ClusterNetworks {

    private static final Logger LOG = Logger.getLogger(ClusterNetworks.class);

    private final DockerClient docker;
    private final String tenant;

    ClusterNetworks(DockerClient docker, String tenant) {
        this.docker = docker;
        this.tenant = tenant;
    }

    /** The id of the cluster's network, created when missing. */
    String ensure(String clusterId) throws NodeDriverException {
        String name = NodeNames.clusterResourceName(clusterId);
        Network existing = oldest(clusterId);
        if (existing != null) {
            return existing.getId();
        }
        String created = null;
        try {
            created = docker.createNetworkCmd()
                    .withName(name)
                    .withDriver("bridge")
                    .withCheckDuplicate(true)
                    .withLabels(NodeLabels.cluster(tenant, clusterId))
                    .exec()
                    .getId();
            LOG.infof("created network %s for cluster %s", name, clusterId);
        } catch (ConflictException e) {
            LOG.debugf("network %s was created concurrently", name);
        }
        // dockerd's duplicate check is not atomic: two processes can each create one. Both then
        // settle on the oldest, and the loser removes its own before any container uses it.
        Network winner = oldest(clusterId);
        if (winner == null) {
            throw new NodeDriverException("network " + name + " vanished right after it was created");
        }
        if (created != null && !created.equals(winner.getId())) {
            remove(created, name);
        }
        return winner.getId();
    }

    /**
     * Removes every network of the cluster but the oldest, the one all gateways use: a racing gateway's own
     * duplicate, also when that gateway died before it could remove it.
     */
    void removeDuplicates(String clusterId) throws NodeDriverException {
        Network winner = oldest(clusterId);
        for (Network network : ours(clusterId)) {
            if (winner != null && !winner.getId().equals(network.getId())) {
                remove(network.getId(), network.getName());
            }
        }
    }

    /** Removes the cluster's network(s); a foreign one of that name, or one still in use, is left alone. */
    void removeAll(String clusterId) {
        String name = NodeNames.clusterResourceName(clusterId);
        for (Network network : named(name)) {
            if (NodeLabels.isOurs(network.getLabels(), tenant, clusterId, null)) {
                remove(network.getId(), name);
            }
        }
    }

    private void remove(String id, String name) {
        try {
            docker.removeNetworkCmd(id).exec();
            LOG.infof("removed network %s (%s)", name, id);
        } catch (NotFoundException e) {
            LOG.debugf("network %s (%s) is gone already", name, id);
        } catch (DockerException e) {
            // 403/409 "has active endpoints": a container we do not know of still uses it
            LOG.warnf("network %s (%s) left in place: %s", name, id, e.getMessage());
        }
    }

    private Network oldest(String clusterId) throws NodeDriverException {
        return ours(clusterId).stream()
                .min(Comparator.comparing((Network n) -> n.getCreated() == null ? new Date(0) : n.getCreated())
                        .thenComparing(Network::getId))
                .orElse(null);
    }

    /** The cluster's networks; fails when a network of that name is not ours: nodes must not join it. */
    private List<Network> ours(String clusterId) throws NodeDriverException {
        String name = NodeNames.clusterResourceName(clusterId);
        List<Network> named = named(name);
        for (Network n : named) {
            if (!NodeLabels.isOurs(n.getLabels(), tenant, clusterId, null)) {
                throw new NodeDriverException("network name " + name + " is taken by a network this gateway did not"
                        + " create (" + n.getId() + "); remove or rename it");
            }
        }
        return named;
    }

    /** Docker's "name" filter matches substrings: keep the exact name only. */
    private List<Network> named(String name) {
        return docker.listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> name.equals(n.getName()))
                .toList();
    }
}
