package io.edgefleet.cluster.repository;

import io.edgefleet.cluster.rollout.RolloutStatus;
import io.edgefleet.cluster.rollout.RolloutStrategy;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

import java.time.Instant;
import java.util.UUID;

/** A fleet rollout of one tenant: one profile version carried to its target clusters in waves. */
@Entity
@Table(name = "rollout")
public class Rollout extends PanacheEntityBase {

    @Id
    public UUID id;

    public String tenant;
    public String name;

    @Column(name = "profile_id")
    public String profileId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    public RolloutSelector selector;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    public RolloutStrategy strategy;

    @Enumerated(EnumType.STRING)
    public RolloutStatus status;

    @Column(name = "status_reason")
    public String statusReason;

    /** FAILED clusters the operator accepted by the last resume: only failures beyond them pause again. */
    @Column(name = "accepted_failures")
    public int acceptedFailures;

    public int waves;
    /** Grows with every change that is published. */
    public long revision;

    /** The user who created it through the API, or {@link #SYSTEM} for one a profile's re-link created. */
    @Column(name = "created_by")
    public String createdBy;

    public static final String SYSTEM = "system";

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
