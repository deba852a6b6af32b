package io.edgefleet.cluster.repository;

import io.edgefleet.cluster.rollout.MaintenanceWindow;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ClusterHealth;
import io.edgefleet.events.payload.ClusterStatus;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A cluster of one tenant: its definition and where it is in its state machine. Every change happens
 * with the row locked ({@code select ... for update}), so REST calls, gateway reports and the tick
 * never interleave on one cluster.
 * <p>
 * The JSON columns are declared immutable: they are replaced, never changed in place, so Hibernate compares
 * them instead of deep-copying the profile copy (every layer's merged values) on each load.
 */
@Entity
@Table(name = "cluster")
public class Cluster extends PanacheEntityBase {

    @Id
    public String id;

    public String tenant;
    public String name;
    public String description;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    public Map<String, String> tags = new TreeMap<>();

    @Enumerated(EnumType.STRING)
    public ClusterStatus status;

    @Column(name = "status_reason")
    public String statusReason;
    /** Whether every node that should run does (see {@code orchestration.NodeHealth}); apart from the status. */
    @Enumerated(EnumType.STRING)
    public ClusterHealth health = ClusterHealth.HEALTHY;
    /** For a DEGRADED cluster: which nodes are down, since when and why; else null. */
    @Column(name = "health_reason")
    public String healthReason;
    /** The status a FAILED cluster returns to on retry. */
    @Enumerated(EnumType.STRING)
    @Column(name = "failed_from")
    public ClusterStatus failedFrom;

    @Column(name = "failed_task_seq")
    public Long failedTaskSeq;

    @Enumerated(EnumType.STRING)
    @Column(name = "cloud_type")
    public CloudType cloudType;

    @Column(name = "profile_id")
    public String profileId;
    /** JSON columns hold objects (Hibernate Reactive binds JSON as objects): lists are wrapped. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "addon_profile_ids")
    @Mutability(Immutability.class)
    public ProfileIds addonProfiles = new ProfileIds(List.of());

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    public AppliedProfiles profiles;
    /** Per-pack value overrides: pack (layer) name → YAML, merged over the layer's merged values. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "pack_values")
    @Mutability(Immutability.class)
    public Map<String, String> packValues = new TreeMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "cloud_config")
    @Mutability(Immutability.class)
    public CloudConfig cloudConfig;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "pools")
    @Mutability(Immutability.class)
    public Pools poolSet = new Pools(List.of());
    /**
     * The profile (FULL or INFRA) with the newest OS release, held back because the cluster has an OS patch
     * schedule: applied when the schedule's run asks for it. Null when no OS release waits.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "pending_profile")
    @Mutability(Immutability.class)
    public ProfileCopy pendingProfile;
    /** The OS patch run the cluster is rolling out, answered when the roll ends; else null. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "os_patch")
    @Mutability(Immutability.class)
    public OsPatchUnderway osPatch;
    /** The policies named when the cluster was created (policy-service attaches the cluster to them). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "policy_ids")
    @Mutability(Immutability.class)
    public PolicyIds policies = new PolicyIds(List.of());
    /** When rollouts may touch the cluster; null: any time. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "maintenance_window")
    @Mutability(Immutability.class)
    public MaintenanceWindow maintenanceWindow;
    /** The seq of the cluster's last task. */
    @Column(name = "task_seq")
    public long taskSeq;
    /** Grows with every change that is published. */
    public long revision;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public record Pools(List<PoolSpec> pools) {}

    public record ProfileIds(List<String> ids) {}

    public record PolicyIds(List<String> ids) {}

    public List<String> policyIds() {
        return policies == null || policies.ids() == null ? List.of() : policies.ids();
    }

    public List<PoolSpec> pools() {
        return poolSet.pools();
    }

    public void pools(List<PoolSpec> pools) {
        poolSet = new Pools(List.copyOf(pools));
    }

    public List<String> addonProfileIds() {
        return addonProfiles.ids();
    }

    public void addonProfileIds(List<String> ids) {
        addonProfiles = new ProfileIds(List.copyOf(ids));
    }

    public Optional<PoolSpec> pool(String poolName) {
        return pools().stream().filter(p -> p.name().equals(poolName)).findFirst();
    }

    /** The appliances the pools name, in definition order without repeats. */
    public List<String> poolAppliances() {
        return pools().stream()
                .flatMap(p -> p.appliances().stream())
                .map(Placement::uid)
                .distinct()
                .toList();
    }

    /** The cluster is working towards a state: the orchestrator has something to do. */
    public boolean active() {
        return switch (status) {
            case PENDING, PROVISIONING, UPDATING, DELETING -> true;
            case RUNNING, DELETED, FAILED -> false;
        };
    }

    public static Uni<Cluster> lock(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }
}
