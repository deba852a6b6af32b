package io.edgefleet.cluster.messaging.out;

import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.ClusterTask;
import io.edgefleet.kit.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishes on {@code cluster-events} through the outbox (key and subject = cluster id), in the
 * caller's transaction. Snapshots carry the cluster's appliances, which appliance-service uses to refuse
 * deleting an appliance in use: every appliance of the pools and of the nodes not yet gone, none once DELETED.
 */
@ApplicationScoped
public class ClusterEventPublisher {

    @Inject
    Outbox outbox;

    /** Bumps the revision and publishes the cluster as it is now. */
    public Uni<Void> publish(Cluster cluster, List<ClusterNode> nodes, String eventType) {
        cluster.revision++;
        return outbox.add(
                        Topics.CLUSTER_EVENTS,
                        cluster.id,
                        eventType,
                        cluster.id,
                        cluster.tenant,
                        snapshot(cluster, nodes))
                .replaceWithVoid();
    }

    public Uni<Void> task(Cluster cluster, ProvisioningTask task) {
        return outbox.add(
                        Topics.CLUSTER_EVENTS,
                        cluster.id,
                        EventTypes.CLUSTER_TASK,
                        cluster.id,
                        cluster.tenant,
                        of(task))
                .replaceWithVoid();
    }

    public static ClusterTask of(ProvisioningTask t) {
        return new ClusterTask(
                t.clusterId,
                t.seq,
                t.kind,
                t.nodeId,
                t.applianceUid,
                t.status.name(),
                t.message,
                t.startedAt,
                t.finishedAt);
    }

    public static ClusterSnapshot snapshot(Cluster c, List<ClusterNode> nodes) {
        boolean deleted = c.status == ClusterStatus.DELETED;
        return new ClusterSnapshot(
                c.id,
                c.name,
                Map.copyOf(c.tags),
                c.status,
                c.statusReason,
                c.cloudType,
                c.profileId,
                c.addonProfileIds(),
                deleted ? List.of() : appliancesInUse(c, nodes),
                c.pools().stream()
                        .map(p -> new ClusterSnapshot.Pool(p.name(), p.master(), p.size()))
                        .toList(),
                nodes.stream()
                        .filter(n -> !n.gone())
                        .map(n -> new ClusterSnapshot.Node(n.nodeId, n.poolName, n.applianceUid, n.stage.name()))
                        .toList(),
                c.createdAt,
                c.updatedAt,
                c.revision,
                c.policyIds(),
                c.health,
                c.healthReason,
                c.maintenanceWindow == null
                        ? null
                        : new ClusterSnapshot.MaintenanceWindow(
                                c.maintenanceWindow.cron(),
                                c.maintenanceWindow.zone(),
                                c.maintenanceWindow.duration().toString()));
    }

    public static List<String> appliancesInUse(Cluster c, List<ClusterNode> nodes) {
        Set<String> uids = new LinkedHashSet<>(c.poolAppliances());
        nodes.stream().filter(n -> !n.gone()).forEach(n -> uids.add(n.applianceUid));
        return List.copyOf(uids);
    }

    public static String typeOf(ClusterStatus to) {
        return to == ClusterStatus.DELETED ? EventTypes.CLUSTER_DELETED : EventTypes.CLUSTER_STATUS_CHANGED;
    }
}
