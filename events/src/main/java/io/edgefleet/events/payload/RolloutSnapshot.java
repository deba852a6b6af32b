package io.edgefleet.events.payload;

import java.time.Instant;
import java.util.Map;

/**
 * A fleet rollout of cluster-service as it is now: what it rolls out, where it stands and how many of its clusters
 * are in each state.
 *
 * @param profileId    the profile version the clusters change to
 * @param status       RUNNING, PAUSED, COMPLETED or ABORTED
 * @param statusReason why it paused or was aborted; else null
 * @param clusters     cluster count per state (PENDING, WAITING_WINDOW, WAITING_OFFLINE, ROLLING, SCANNING, HEALTHY, FAILED,
 *                     SKIPPED, ROLLING_BACK, ROLLED_BACK); states with none are left out
 * @param revision     grows with every change published
 * @param clusterId    the one cluster the event is about ({@code rollout.rollback-started}: the cluster rolled back),
 *                     else null
 * @param createdBy    who created the rollout: the operator's user, or {@code system} for one a profile change created;
 *                     null in events of older producers
 */
public record RolloutSnapshot(
        String id,
        String name,
        String profileId,
        String status,
        String statusReason,
        int waves,
        Map<String, Integer> clusters,
        Instant createdAt,
        Instant updatedAt,
        long revision,
        String clusterId,
        String createdBy) {

    /** A snapshot without its creator, as older producers wrote it. */
    public RolloutSnapshot(
            String id,
            String name,
            String profileId,
            String status,
            String statusReason,
            int waves,
            Map<String, Integer> clusters,
            Instant createdAt,
            Instant updatedAt,
            long revision,
            String clusterId) {
        this(
                id,
                name,
                profileId,
                status,
                statusReason,
                waves,
                clusters,
                createdAt,
                updatedAt,
                revision,
                clusterId,
                null);
    }

    /** A snapshot about the rollout as a whole. */
    public RolloutSnapshot(
            String id,
            String name,
            String profileId,
            String status,
            String statusReason,
            int waves,
            Map<String, Integer> clusters,
            Instant createdAt,
            Instant updatedAt,
            long revision) {
        this(id, name, profileId, status, statusReason, waves, clusters, createdAt, updatedAt, revision, null, null);
    }
}
