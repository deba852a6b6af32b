package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.LayerSource;
import io.edgefleet.events.payload.Manifest;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileType;
import io.edgefleet.profile.repository.Profile;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The stack a cluster built from this profile version gets: every layer at a concrete release with its
 * merged values (pack defaults, then presets, then the profile's overrides) and its manifests.
 */
public record ResolvedProfileView(
        String id,
        String name,
        String version,
        ProfileType type,

        @Schema(nullable = true, description = "`edge`; none for ADDON profiles")
        String environment,

        @Schema(nullable = true, description = "none for ADDON profiles")
        CloudType cloudType,

        List<Layer> layers) {

    /**
     * @param version the concrete release (null for MANIFEST layers)
     * @param train   the version as chosen when it is a train ({@code 1.x}), else null
     * @param values  the merged values as YAML
     */
    @Schema(name = "ResolvedLayerView", description = "One layer of the resolved stack")
    public record Layer(
            int index,
            LayerSource source,
            PackLayer layer,

            @Schema(nullable = true, description = "`builtin` or a registry id; none for MANIFEST layers")
            String registry,

            String name,

            @Schema(nullable = true, description = "the concrete release; none for MANIFEST layers")
            String version,

            @Schema(nullable = true, description = "the train as chosen (`1.x`, `1.28.x`) when the layer follows one")
            String train,

            List<String> presets,

            @Schema(
                    nullable = true,
                    description = "pack defaults, then presets, then the profile's overrides, as YAML; "
                            + "none for MANIFEST layers")
            String values,

            List<Manifest> manifests) {
        static Layer of(ProfileLayer l) {
            boolean train = l.version() != null && l.version().endsWith(".x");
            return new Layer(
                    l.index(),
                    l.source(),
                    l.layer(),
                    l.registryId(),
                    l.name(),
                    l.resolvedVersion(),
                    train ? l.version() : null,
                    l.presets(),
                    l.mergedValues(),
                    l.manifests());
        }
    }

    static ResolvedProfileView of(Profile p) {
        return new ResolvedProfileView(
                p.id.toString(),
                p.name,
                p.version,
                p.type,
                p.environment,
                p.cloudType,
                p.layers().stream().map(Layer::of).toList());
    }
}
