package io.edgefleet.policy.repository;

import io.edgefleet.events.payload.PolicyKind;
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
import java.util.UUID;

/** A policy of one tenant and the clusters it is attached to. JSON columns are replaced, never changed in place. */
@Entity
@Table(name = "policy")
public class Policy extends PanacheEntityBase {

    @Id
    public UUID id;

    public String tenant;
    public String name;

    @Enumerated(EnumType.STRING)
    public PolicyKind kind;
    /** 5-field cron expression; null: the policy runs on demand only. */
    public String cron;

    @Column(name = "time_zone")
    public String timeZone;

    @Column(name = "next_run_at")
    public Instant nextRunAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "cluster_ids")
    @Mutability(Immutability.class)
    public ClusterIds clusters = new ClusterIds(List.of());

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    public PolicySettings settings;
    /** The object store's secret key, encrypted (see store.SecretBox); never leaves the service. */
    @Column(name = "store_secret")
    public String storeSecret;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public long revision;

    public record ClusterIds(List<String> ids) {}

    public List<String> clusterIds() {
        return clusters.ids();
    }

    public static Uni<Policy> of(String tenant, UUID id) {
        return Policy.<Policy>findById(id).map(p -> p != null && p.tenant.equals(tenant) ? p : null);
    }

    /** The policy, locked for the rest of the transaction (a schedule tick and a REST change never interleave). */
    public static Uni<Policy> lock(UUID id) {
        return Policy.<Policy>findById(id, LockModeType.PESSIMISTIC_WRITE);
    }
}
