package io.edgefleet.cluster.messaging.out;

import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.OsPatchUnderway;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.OsPatchFinished;
import io.edgefleet.kit.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Answers policy-service's OS patch requests on {@code cluster-events} (key and subject = cluster id), through the outbox. */
@ApplicationScoped
public class OsPatchReplyPublisher {

    private static final Logger LOG = Logger.getLogger(OsPatchReplyPublisher.class);

    @Inject
    Outbox outbox;

    /** @param tenant the requester's tenant (the cluster's, or the request's when the cluster is not theirs) */
    public Uni<Void> finished(
            String tenant,
            String clusterId,
            String runId,
            OsPatchFinished.Outcome outcome,
            String message,
            String fromVersion,
            String toVersion) {
        LOG.infof("OS patch run %s on cluster %s %s: %s", runId, clusterId, outcome, message);
        return outbox.add(
                        Topics.CLUSTER_EVENTS,
                        clusterId,
                        EventTypes.OS_PATCH_FINISHED,
                        clusterId,
                        tenant,
                        new OsPatchFinished(runId, clusterId, outcome, message, fromVersion, toVersion))
                .replaceWithVoid();
    }

    /**
     * A status transition of a cluster rolling out an OS patch run: back to RUNNING answers SUCCEEDED, FAILED (or
     * deleting) answers FAILED with the reason; either way the run is no longer the cluster's concern.
     */
    public Uni<Void> onStatus(Cluster cluster, ClusterStatus to, String reason) {
        OsPatchUnderway patch = cluster.osPatch;
        if (patch == null
                || to == ClusterStatus.UPDATING
                || to == ClusterStatus.PROVISIONING
                || to == ClusterStatus.PENDING) {
            return Uni.createFrom().voidItem();
        }
        cluster.osPatch = null;
        String release =
                "OS release " + patch.toVersion() + " (train " + patch.train() + ", from " + patch.fromVersion() + ")";
        return to == ClusterStatus.RUNNING
                ? finished(
                        cluster,
                        patch.runId(),
                        OsPatchFinished.Outcome.SUCCEEDED,
                        "nodes rolled onto " + release + "; cluster RUNNING",
                        patch.fromVersion(),
                        patch.toVersion())
                : finished(
                        cluster,
                        patch.runId(),
                        OsPatchFinished.Outcome.FAILED,
                        "cluster " + to + " while rolling onto " + release + (reason == null ? "" : ": " + reason),
                        patch.fromVersion(),
                        patch.toVersion());
    }

    public Uni<Void> finished(
            Cluster cluster,
            String runId,
            OsPatchFinished.Outcome outcome,
            String message,
            String fromVersion,
            String toVersion) {
        return finished(cluster.tenant, cluster.id, runId, outcome, message, fromVersion, toVersion);
    }
}
