package io.edgefleet.cluster.repository;

import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.events.payload.ProfileType;

import java.util.List;
import java.util.Map;

/** What cluster-service keeps of a profile version: enough to render nodes, nothing else. */
public record ProfileCopy(String id, String name, String version, ProfileType type, CloudType cloudType,
                          Map<String, String> tags, List<ProfileLayer> layers, long revision) {

    public static ProfileCopy of(ProfileSnapshot p) {
        return new ProfileCopy(p.id(), p.name(), p.version(), p.type(), p.cloudType(),
                p.tags() == null ? Map.of() : Map.copyOf(p.tags()), p.layers() == null ? List.of() : List.copyOf(p.layers()),
                p.revision());
    }
}
