package io.edgefleet.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Payload of the cluster lifecycle events: the cluster after the change. {@code applianceUids} are
 * the appliances the cluster uses (appliance-service refuses to delete them); empty once DELETED.
 *
 * @param statusReason why it FAILED (or is being deleted), else null
 * @param revision     grows with every change of the cluster
 * @param policyIds    the policies named when the cluster was created (policy-service attaches it to them on
 *                     {@code cluster.created}; later attachments are made on the policies themselves)
 * @param health       whether every node that should run does (null from a publisher that predates it)
 * @param healthReason for a DEGRADED cluster: which nodes are down, since when and why; else null
 * @param maintenanceWindow when rollouts may touch the cluster; null: any time (or a publisher that predates it)
 */
public record ClusterSnapshot(
        String id,
        String name,
        Map<String, String> tags,
        ClusterStatus status,
        String statusReason,
        CloudType cloudType,
        String profileId,
        List<String> addonProfileIds,
        List<String> applianceUids,
        List<Pool> pools,
        List<Node> nodes,
        Instant createdAt,
        Instant updatedAt,
        long revision,
        List<String> policyIds,
        ClusterHealth health,
        String healthReason,
        MaintenanceWindow maintenanceWindow) {

    /** A snapshot without a maintenance window. */
    public ClusterSnapshot(
            String id,
            String name,
            Map<String, String> tags,
            ClusterStatus status,
            String statusReason,
            CloudType cloudType,
            String profileId,
            List<String> addonProfileIds,
            List<String> applianceUids,
            List<Pool> pools,
            List<Node> nodes,
            Instant createdAt,
            Instant updatedAt,
            long revision,
            List<String> policyIds,
            ClusterHealth health,
            String healthReason) {
        this(
                id,
                name,
                tags,
                status,
                statusReason,
                cloudType,
                profileId,
                addonProfileIds,
                applianceUids,
                pools,
                nodes,
                createdAt,
                updatedAt,
                revision,
                policyIds,
                health,
                healthReason,
                null);
    }

    /** A snapshot without health (a healthy cluster as far as the snapshot says). */
    public ClusterSnapshot(
            String id,
            String name,
            Map<String, String> tags,
            ClusterStatus status,
            String statusReason,
            CloudType cloudType,
            String profileId,
            List<String> addonProfileIds,
            List<String> applianceUids,
            List<Pool> pools,
            List<Node> nodes,
            Instant createdAt,
            Instant updatedAt,
            long revision,
            List<String> policyIds) {
        this(
                id,
                name,
                tags,
                status,
                statusReason,
                cloudType,
                profileId,
                addonProfileIds,
                applianceUids,
                pools,
                nodes,
                createdAt,
                updatedAt,
                revision,
                policyIds,
                ClusterHealth.HEALTHY,
                null);
    }

    /** A snapshot without policies. */
    public ClusterSnapshot(
            String id,
            String name,
            Map<String, String> tags,
            ClusterStatus status,
            String statusReason,
            CloudType cloudType,
            String profileId,
            List<String> addonProfileIds,
            List<String> applianceUids,
            List<Pool> pools,
            List<Node> nodes,
            Instant createdAt,
            Instant updatedAt,
            long revision) {
        this(
                id,
                name,
                tags,
                status,
                statusReason,
                cloudType,
                profileId,
                addonProfileIds,
                applianceUids,
                pools,
                nodes,
                createdAt,
                updatedAt,
                revision,
                List.of());
    }

    public record Pool(String name, boolean master, int size) {}

    /**
     * Opens at each time of the 5-field {@code cron} read in {@code zone} (IANA), open for {@code duration}
     * (ISO-8601).
     */
    public record MaintenanceWindow(String cron, String zone, String duration) {}

    /** @param state PENDING, CREATING, RUNNING, DELETING, DELETED or FAILED */
    public record Node(String nodeId, String poolName, String applianceUid, String state) {}
}
