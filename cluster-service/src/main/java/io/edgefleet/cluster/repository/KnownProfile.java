package io.edgefleet.cluster.repository;

import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileType;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/** cluster-service's view of one profile version, from profile-events. */
@Entity
@Table(name = "known_profile")
public class KnownProfile extends PanacheEntityBase {
    @Id
    public UUID id;

    public String tenant;

    @Column(name = "profile_id")
    public String profileId;

    @Enumerated(EnumType.STRING)
    public ProfileType type;

    @Enumerated(EnumType.STRING)
    @Column(name = "cloud_type")
    public CloudType cloudType;

    @JdbcTypeCode(SqlTypes.JSON)
    public ProfileCopy profile;

    public long revision;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
