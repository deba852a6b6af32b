package io.edgefleet.policy.messaging.in;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.OsPatchFinished;
import io.edgefleet.events.payload.ScanRequested;
import io.edgefleet.kit.messaging.InboundEvents;
import io.edgefleet.policy.config.PolicyConfig;
import io.edgefleet.policy.service.PolicyService;
import io.edgefleet.policy.service.RelinkRuns;
import io.edgefleet.policy.service.ScanGateRuns;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps the projection of clusters (status, nodes and their appliances) from {@code cluster-events}:
 * runs go to the nodes it names. Also cluster-service's answers to OS patch requests (os-patch-finished) and a rollout's
 * scan requests (scan-requested). Idempotent (inbox); a cluster's events arrive in order (one key), and an
 * older snapshot never overwrites a newer one (revision).
 */
@ApplicationScoped
public class ClusterEventConsumer {

    static final String CONSUMER = "policy-service/cluster-events";
    private static final Set<String> SNAPSHOT_TYPES = Set.of(
            EventTypes.CLUSTER_CREATED,
            EventTypes.CLUSTER_STATUS_CHANGED,
            EventTypes.CLUSTER_UPDATED,
            EventTypes.CLUSTER_DELETED);

    @Inject
    PolicyService policies;

    @Inject
    RelinkRuns relinkRuns;

    @Inject
    ScanGateRuns scanGate;

    @Inject
    InboundEvents inbound;

    @Inject
    PolicyConfig config;

    @Incoming("cluster-events")
    public Uni<Void> onClusterEvent(ConsumerRecord<String, byte[]> record) {
        return inbound.handle(CONSUMER, record, this::effectOf);
    }

    private Supplier<Uni<Void>> effectOf(CloudEvent event) {
        if (EventTypes.OS_PATCH_FINISHED.equals(event.type())) {
            // cluster-service's answer to an OS patch run of mode RELINK ends that run
            OsPatchFinished answer = event.dataAs(OsPatchFinished.class);
            if (answer == null
                    || answer.runId() == null
                    || answer.outcome() == null
                    || answer.clusterId() == null
                    || !answer.clusterId().equals(event.subject())) {
                throw new InvalidEventException("os-patch-finished without run id, outcome or cluster id (= subject)");
            }
            return () -> relinkRuns.onFinished(event.tenant(), answer);
        }
        if (EventTypes.SCAN_REQUESTED.equals(event.type())) {
            ScanRequested request = event.dataAs(ScanRequested.class);
            if (request == null
                    || request.requestId() == null
                    || request.clusterId() == null
                    || !request.clusterId().equals(event.subject())) {
                throw new InvalidEventException("scan-requested without request id or cluster id (= subject)");
            }
            return () -> scanGate.onRequested(event.tenant(), request);
        }
        if (!SNAPSHOT_TYPES.contains(event.type())) {
            return null; // provisioning tasks
        }
        ClusterSnapshot cluster = event.dataAs(ClusterSnapshot.class);
        if (cluster.id() == null || cluster.id().isBlank() || cluster.status() == null) {
            throw new InvalidEventException("cluster snapshot without id or status");
        }
        boolean created = EventTypes.CLUSTER_CREATED.equals(event.type());
        return () -> policies.applyCluster(event.tenant(), cluster, created);
    }
}
