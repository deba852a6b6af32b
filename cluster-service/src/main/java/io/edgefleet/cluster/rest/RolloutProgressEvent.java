package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.rollout.RolloutStatus;
import io.edgefleet.cluster.service.RolloutFeed;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** Data of an {@code event: rollout} on {@code GET /v1/rollouts/{id}/events}: the rollout at this revision. */
@Schema(name = "RolloutProgressEvent")
public record RolloutProgressEvent(
        String id,
        RolloutStatus status,
        String statusReason,

        @Schema(description = "the event's id: give it as Last-Event-ID to resume after it")
        long revision,

        Instant updatedAt,
        List<RolloutFeed.ClusterProgress> clusters) {

    static RolloutProgressEvent of(RolloutFeed.Progress p) {
        return new RolloutProgressEvent(
                p.rolloutId(), p.status(), p.statusReason(), p.revision(), p.updatedAt(), p.clusters());
    }
}
