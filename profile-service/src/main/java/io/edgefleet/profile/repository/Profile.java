package io.edgefleet.profile.repository;

import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.events.payload.ProfileType;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** One version of a tenant's cluster profile. A new profile version is a new row with its own id. */
@Entity
@Table(name = "profile")
public class Profile extends PanacheEntityBase {

    public static final String EDGE = "edge";

    @Id
    public UUID id;

    public String tenant;
    public String name;
    public String version;
    public String description;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> tags = new TreeMap<>();

    @Enumerated(EnumType.STRING)
    public ProfileType type;

    public String environment;

    @Enumerated(EnumType.STRING)
    @Column(name = "cloud_type")
    public CloudType cloudType;

    @JdbcTypeCode(SqlTypes.JSON)
    public Stack stack = new Stack(List.of());

    /** How running clusters take a re-link or change of this profile (IMMEDIATE unless chosen). */
    @JdbcTypeCode(SqlTypes.JSON)
    public ProfileRollout rollout = ProfileRollout.IMMEDIATE;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long revision;

    /** The layers, bottom of the stack first, each resolved to a concrete release. */
    public List<ProfileLayer> layers() {
        return stack.layers();
    }

    public void layers(List<ProfileLayer> layers) {
        stack = new Stack(List.copyOf(layers));
    }

    /** The layers in one JSON object: Hibernate Reactive binds JSON columns as objects, never as bare lists. */
    public record Stack(List<ProfileLayer> layers) {}

    public ProfileSnapshot snapshot() {
        return new ProfileSnapshot(
                id.toString(),
                name,
                version,
                description,
                Map.copyOf(tags),
                type,
                environment,
                cloudType,
                List.copyOf(layers()),
                createdAt,
                updatedAt,
                revision,
                rollout);
    }
}
