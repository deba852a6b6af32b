package io.edgefleet.policy.repository;

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
import java.util.UUID;

/**
 * A policy run on one cluster (scan, backup, OS patch) or a restore. At most one run is RUNNING per cluster
 * (a unique index); a trigger while one runs is recorded as SKIPPED.
 */
@Entity
@Table(name = "run")
public class Run extends PanacheEntityBase {

    @Id
    public UUID id;

    public String tenant;

    @Enumerated(EnumType.STRING)
    public RunKind kind;

    @Column(name = "policy_id")
    public UUID policyId;

    @Column(name = "policy_name")
    public String policyName;

    @Column(name = "cluster_id")
    public String clusterId;

    @Enumerated(EnumType.STRING)
    public RunTrigger trigger;

    @Enumerated(EnumType.STRING)
    public RunStatus status;

    public String reason;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    public RunDetail detail;

    @Column(name = "store_secret")
    public String storeSecret;

    @Column(name = "size_bytes")
    public Long sizeBytes;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "objects_deleted_at")
    public Instant objectsDeletedAt;
    /** A SCAN run asked for by a rollout's health gate: the request it answers (cluster-service's scan-requested). */
    @Column(name = "request_id")
    public String requestId;

    /** OS_PATCH of mode RELINK: cluster-service's answer, once it came. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "os_patch")
    @Mutability(Immutability.class)
    public OsPatchResult osPatch;

    public static Uni<Run> of(String tenant, UUID id, RunKind kind) {
        return Run.<Run>findById(id).map(r -> r != null && r.tenant.equals(tenant) && r.kind == kind ? r : null);
    }

    public static Uni<Run> lock(UUID id) {
        return Run.<Run>findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public static Uni<Run> answering(String requestId) {
        return Run.<Run>find("requestId", requestId).firstResult();
    }

    public static Uni<Run> runningOn(String clusterId) {
        return Run.<Run>find("clusterId = ?1 and status = ?2", clusterId, RunStatus.RUNNING)
                .firstResult();
    }
}
