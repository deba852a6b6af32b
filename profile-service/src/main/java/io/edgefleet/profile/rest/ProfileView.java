package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.LayerSource;
import io.edgefleet.events.payload.Manifest;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ProfileType;
import io.edgefleet.profile.repository.Profile;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A profile version as the API shows it: each layer as chosen (version spec, presets, overrides) and
 * the release it is linked to now. {@code GET .../resolved} shows the merged values.
 */
public record ProfileView(
        String id,
        String name,
        String version,
        @Schema(nullable = true) String description,
        Map<String, String> tags,
        ProfileType type,

        @Schema(nullable = true, description = "`edge`; none for ADDON profiles")
        String environment,

        @Schema(nullable = true, description = "none for ADDON profiles")
        CloudType cloudType,

        List<Layer> layers,

        @Schema(
                description = "how running clusters take a re-link or change of this profile: IMMEDIATE or ROLLOUT with"
                        + " its default strategy (every default filled in)")
        ProfileRollout rollout,

        Instant createdAt,
        Instant updatedAt,
        long revision) {

    /**
     * @param version         as chosen: pinned or a train
     * @param resolvedVersion the release linked now
     * @param note            why a newer release on the train is not linked, if so
     */
    @Schema(name = "ProfileLayerView", description = "One layer of a profile version, as chosen and as linked now")
    public record Layer(
            int index,
            LayerSource source,
            PackLayer layer,

            @Schema(nullable = true, description = "`builtin` or a registry id; none for MANIFEST layers")
            String registry,

            String name,

            @Schema(
                    nullable = true,
                    description = "pinned (`1.1.1`) or a train (`1.x`, `1.1.x`); none for MANIFEST layers")
            String version,

            @Schema(nullable = true, description = "the release linked now; none for MANIFEST layers")
            String resolvedVersion,

            List<String> presets,

            @Schema(nullable = true, description = "the profile's YAML overrides, as written")
            String values,

            List<Manifest> manifests,

            @Schema(nullable = true, description = "why a newer release on the train is not linked, if so")
            String note) {
        static Layer of(ProfileLayer l) {
            return new Layer(
                    l.index(),
                    l.source(),
                    l.layer(),
                    l.registryId(),
                    l.name(),
                    l.version(),
                    l.resolvedVersion(),
                    l.presets(),
                    l.values(),
                    l.manifests(),
                    l.note());
        }
    }

    static ProfileView of(Profile p) {
        return new ProfileView(
                p.id.toString(),
                p.name,
                p.version,
                p.description,
                p.tags,
                p.type,
                p.environment,
                p.cloudType,
                p.layers().stream().map(Layer::of).toList(),
                p.rollout == null ? ProfileRollout.IMMEDIATE : p.rollout,
                p.createdAt,
                p.updatedAt,
                p.revision);
    }
}
