package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.service.TaskFeed;
import io.edgefleet.events.payload.ClusterStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * The data of a progress stream's {@code event: cluster}: the cluster's status as it is now (sent first, then on every
 * change of its revision).
 */
@Schema(description = "The data of an `event: cluster` of the progress stream: the cluster's status now")
public record ClusterStatusEvent(
        @Schema(required = true) String clusterId,
        @Schema(required = true) ClusterStatus status,

        @Schema(description = "why the cluster is FAILED (or what it is waiting for)", nullable = true)
        String statusReason,

        @Schema(required = true) long revision,
        @Schema(required = true) Instant updatedAt) {

    static ClusterStatusEvent of(TaskFeed.StatusChanged s) {
        return new ClusterStatusEvent(s.clusterId(), s.status(), s.statusReason(), s.revision(), s.updatedAt());
    }
}
