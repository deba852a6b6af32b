package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.LayerSource;
import io.edgefleet.events.payload.Manifest;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileType;
import io.edgefleet.profile.repository.Profile;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A profile version as the API shows it: each layer as chosen (version spec, presets, overrides) and
 * the release it is linked to now. {@code GET .../resolved} shows the merged values.
 */
public record ProfileView(String id, String name, String version, String description, Map<String, String> tags,
                          ProfileType type, String environment, CloudType cloudType, List<Layer> layers,
                          Instant createdAt, Instant updatedAt, long revision) {

    /**
     * @param version         as chosen: pinned or a train
     * @param resolvedVersion the release linked now
     * @param note            why a newer release on the train is not linked, if so
     */
    public record Layer(int index, LayerSource source, PackLayer layer, String registry, String name, String version,
                        String resolvedVersion, List<String> presets, String values, List<Manifest> manifests, String note) {
        static Layer of(ProfileLayer l) {
            return new Layer(l.index(), l.source(), l.layer(), l.registryId(), l.name(), l.version(), l.resolvedVersion(),
                    l.presets(), l.values(), l.manifests(), l.note());
        }
    }

    static ProfileView of(Profile p) {
        return new ProfileView(p.id.toString(), p.name, p.version, p.description, p.tags, p.type, p.environment, p.cloudType,
                p.layers().stream().map(Layer::of).toList(), p.createdAt, p.updatedAt, p.revision);
    }
}
