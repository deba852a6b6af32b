package io.edgefleet.cluster.repository;

import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.events.payload.ProfileType;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What cluster-service keeps of a profile version: enough to render nodes, nothing else. */
public record ProfileCopy(
        String id,
        String name,
        String version,
        ProfileType type,
        CloudType cloudType,
        Map<String, String> tags,
        List<ProfileLayer> layers,
        long revision) {

    public static ProfileCopy of(ProfileSnapshot p) {
        return new ProfileCopy(
                p.id(),
                p.name(),
                p.version(),
                p.type(),
                p.cloudType(),
                p.tags() == null ? Map.of() : Map.copyOf(p.tags()),
                p.layers() == null ? List.of() : List.copyOf(p.layers()),
                p.revision());
    }

    /** The first layer of this kind (a core layer appears once). */
    public Optional<ProfileLayer> layer(PackLayer kind) {
        return layers.stream().filter(l -> l.layer() == kind).findFirst();
    }

    /** This copy with its layer of {@code kind} replaced by {@code replacement} (kept at this copy's position). */
    public ProfileCopy withLayer(PackLayer kind, ProfileLayer replacement) {
        List<ProfileLayer> replaced = layers.stream()
                .map(l -> l.layer() == kind ? replacement.withIndex(l.index()) : l)
                .toList();
        return new ProfileCopy(id, name, version, type, cloudType, tags, replaced, revision);
    }
}
