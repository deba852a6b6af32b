package io.edgefleet.cluster.messaging.out;

import io.edgefleet.cluster.repository.Rollout;
import io.edgefleet.cluster.repository.RolloutTarget;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.RolloutSnapshot;
import io.edgefleet.events.payload.ScanRequested;
import io.edgefleet.kit.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/** Publishes rollouts on {@code cluster-events} through the outbox (key and subject = rollout id), in the caller's transaction. */
@ApplicationScoped
public class RolloutEventPublisher {

    @Inject
    Outbox outbox;

    /** Bumps the revision and publishes the rollout as it is now, with its cluster count per state. */
    public Uni<Void> publish(Rollout rollout, Map<String, Integer> clustersPerState, String eventType) {
        return publish(rollout, clustersPerState, eventType, null);
    }

    /** @param clusterId the one cluster the event is about (a rollback), or null */
    public Uni<Void> publish(
            Rollout rollout, Map<String, Integer> clustersPerState, String eventType, String clusterId) {
        rollout.revision++;
        String key = rollout.id.toString();
        return outbox.add(
                        Topics.CLUSTER_EVENTS,
                        key,
                        eventType,
                        key,
                        rollout.tenant,
                        new RolloutSnapshot(
                                key,
                                rollout.name,
                                rollout.profileId,
                                rollout.status.name(),
                                rollout.statusReason,
                                rollout.waves,
                                Map.copyOf(clustersPerState),
                                rollout.createdAt,
                                rollout.updatedAt,
                                rollout.revision,
                                clusterId,
                                rollout.createdBy))
                .replaceWithVoid();
    }

    /**
     * Asks policy-service for the rollout's scan of a SCANNING target (key and subject = cluster id, like the cluster's
     * own events); sent again with the same request id by a later pass while no run answered it.
     */
    public Uni<Void> scanRequested(Rollout rollout, RolloutTarget target) {
        return outbox.add(
                        Topics.CLUSTER_EVENTS,
                        target.clusterId,
                        EventTypes.SCAN_REQUESTED,
                        target.clusterId,
                        rollout.tenant,
                        new ScanRequested(
                                target.scanRequestId,
                                target.clusterId,
                                rollout.strategy.scan().policyId(),
                                rollout.id.toString()))
                .replaceWithVoid();
    }
}
