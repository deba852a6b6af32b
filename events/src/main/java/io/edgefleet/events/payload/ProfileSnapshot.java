package io.edgefleet.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Payload of the profile lifecycle events: one profile version after the change, layers resolved to
 * concrete releases with merged values, so a consumer's projection is an upsert (and a delete for
 * {@code profile.deleted}). {@code revision} grows with every change of this profile version.
 *
 * @param rollout how running clusters take a change of this profile; null (from older producers) means IMMEDIATE
 */
public record ProfileSnapshot(
        String id,
        String name,
        String version,
        String description,
        Map<String, String> tags,
        ProfileType type,
        String environment,
        CloudType cloudType,
        List<ProfileLayer> layers,
        Instant createdAt,
        Instant updatedAt,
        long revision,
        ProfileRollout rollout) {

    /** A snapshot without a rollout strategy (IMMEDIATE), as older producers wrote it. */
    public ProfileSnapshot(
            String id,
            String name,
            String version,
            String description,
            Map<String, String> tags,
            ProfileType type,
            String environment,
            CloudType cloudType,
            List<ProfileLayer> layers,
            Instant createdAt,
            Instant updatedAt,
            long revision) {
        this(
                id,
                name,
                version,
                description,
                tags,
                type,
                environment,
                cloudType,
                layers,
                createdAt,
                updatedAt,
                revision,
                null);
    }
}
