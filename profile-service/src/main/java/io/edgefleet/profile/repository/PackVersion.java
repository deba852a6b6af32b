package io.edgefleet.profile.repository;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.profile.catalog.Preset;
import io.edgefleet.profile.version.SemVer;
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
import java.util.List;
import java.util.UUID;

/** One version of a pack or chart in one registry. Immutable once stored, except for {@link #withdrawn}. */
@Entity
@Table(name = "pack_version")
public class PackVersion extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "registry_id")
    public String registryId;

    public String name;

    @Enumerated(EnumType.STRING)
    public PackLayer layer;

    @Column(name = "addon_type")
    public String addonType;

    @Column(name = "display_name")
    public String displayName;

    public String description;
    public String version;
    public boolean prerelease;

    @Column(name = "app_version")
    public String appVersion;

    public String digest;

    @Column(name = "released_at")
    public Instant releasedAt;
    /** Default values (YAML text, comments kept). */
    public String defaults;
    /** Presets and chart URLs. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Extras extras = new Extras(List.of(), List.of());
    /** No longer in the registry's index: pinned layers keep resolving, trains and searches skip it. */
    public boolean withdrawn;

    @Column(name = "published_at")
    public Instant publishedAt;

    public SemVer semver() {
        return SemVer.parse(version);
    }

    public List<Preset> presets() {
        return extras.presets();
    }

    public List<String> urls() {
        return extras.urls();
    }

    public Preset preset(String presetName) {
        return presets().stream()
                .filter(p -> p.name().equals(presetName))
                .findFirst()
                .orElse(null);
    }

    /**
     * The list-valued parts of a version, in one JSON object: Hibernate Reactive binds JSON columns as
     * Vert.x JSON objects, so a column cannot hold a bare list.
     */
    public record Extras(List<Preset> presets, List<String> urls) {}
}
