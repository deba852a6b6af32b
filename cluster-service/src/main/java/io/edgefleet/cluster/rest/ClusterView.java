package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.messaging.out.ClusterEventPublisher;
import io.edgefleet.cluster.repository.CloudConfig;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.ProfileCopy;
import io.edgefleet.cluster.repository.RollingStrategy;
import io.edgefleet.cluster.rollout.MaintenanceWindow;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ClusterHealth;
import io.edgefleet.events.payload.ClusterStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A cluster as the API shows it.
 *
 * @param failedFrom     for a FAILED cluster: the status a retry resumes
 * @param health         whether every node that should run does: DEGRADED while one is stopped or crashed
 * @param healthReason   for a DEGRADED cluster: which nodes are down, since when and why
 * @param applianceUids  the appliances the cluster uses (none once DELETED)
 * @param policyIds      the policies named at create (policy-service's policies say which clusters they apply to now)
 */
public record ClusterView(
        @Schema(required = true) String id,
        @Schema(required = true) String name,
        @Schema(nullable = true) String description,
        @Schema(required = true) Map<String, String> tags,
        @Schema(required = true) ClusterStatus status,
        @Schema(nullable = true) String statusReason,
        @Schema(nullable = true) ClusterStatus failedFrom,

        @Schema(
                required = true,
                description = "whether every node that should run does: DEGRADED while one is observed stopped"
                        + " or crashed (it is started again after a grace period, or replaced when it will not"
                        + " start); independent of status")
        ClusterHealth health,

        @Schema(
                nullable = true,
                description =
                        "for a DEGRADED cluster: which nodes are down, on which appliance, since when and" + " why")
        String healthReason,

        @Schema(required = true) CloudType cloudType,
        @Schema(required = true) ProfileRef profile,
        List<ProfileRef> addonProfiles,
        Map<String, String> packValues,
        CloudConfig cloudConfig,
        @Schema(required = true) List<PoolView> pools,
        List<String> applianceUids,
        List<String> policyIds,

        @Schema(
                nullable = true,
                description = "when rollouts may touch the cluster (PUT …/maintenance-window); null: any time")
        MaintenanceWindowView maintenanceWindow,

        Instant createdAt,
        Instant updatedAt,
        long revision) {

    /** Opens at each time of {@code cron} read in {@code zone}, open for {@code duration} (ISO-8601). */
    @Schema(name = "MaintenanceWindow")
    public record MaintenanceWindowView(
            @Schema(required = true, examples = "0 22 * * 6")
            String cron,

            @Schema(required = true, examples = "Europe/Berlin")
            String zone,

            @Schema(required = true, examples = "PT4H") String duration) {
        static MaintenanceWindowView of(MaintenanceWindow w) {
            return new MaintenanceWindowView(w.cron(), w.zone(), w.duration().toString());
        }
    }

    public record ProfileRef(String id, String name, String version) {
        static ProfileRef of(ProfileCopy p) {
            return new ProfileRef(p.id(), p.name(), p.version());
        }
    }

    /** A pool as defined, with how many of its nodes run now. */
    public record PoolView(
            String name,
            boolean master,
            int size,
            boolean allowWorkerCapability,
            RollingStrategy rollingStrategy,
            int cpu,
            int memoryGb,
            int rootDiskGb,
            int dataDiskGb,
            String cpuSet,
            List<Placement> appliances,

            @Schema(description = "how many of the pool's nodes run now (created, and not seen stopped or crashed)")
            long runningNodes) {}

    static ClusterView of(Cluster c, List<ClusterNode> nodes) {
        return new ClusterView(
                c.id,
                c.name,
                c.description,
                c.tags,
                c.status,
                c.statusReason,
                c.failedFrom,
                c.health,
                c.healthReason,
                c.cloudType,
                ProfileRef.of(c.profiles.profile()),
                c.profiles.addons().stream().map(ProfileRef::of).toList(),
                c.packValues,
                c.cloudConfig,
                c.pools().stream().map(p -> pool(p, nodes)).toList(),
                c.status == ClusterStatus.DELETED ? List.of() : ClusterEventPublisher.appliancesInUse(c, nodes),
                c.policyIds(),
                c.maintenanceWindow == null ? null : MaintenanceWindowView.of(c.maintenanceWindow),
                c.createdAt,
                c.updatedAt,
                c.revision);
    }

    private static PoolView pool(PoolSpec p, List<ClusterNode> nodes) {
        long running = nodes.stream()
                .filter(n -> n.poolName.equals(p.name()) && n.running())
                .count();
        return new PoolView(
                p.name(),
                p.master(),
                p.size(),
                p.allowWorkerCapability(),
                p.rollingStrategy(),
                p.cpu(),
                p.memoryGb(),
                p.rootDiskGb(),
                p.dataDiskGb(),
                p.cpuSet(),
                p.appliances(),
                running);
    }
}
