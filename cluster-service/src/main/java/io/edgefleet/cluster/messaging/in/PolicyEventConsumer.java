package io.edgefleet.cluster.messaging.in;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.service.KnownPolicies;
import io.edgefleet.cluster.service.OsPatchWindows;
import io.edgefleet.cluster.service.OsPatches;
import io.edgefleet.cluster.service.RolloutScans;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.payload.OsPatchRequested;
import io.edgefleet.events.payload.PolicyRunSnapshot;
import io.edgefleet.events.payload.PolicySnapshot;
import io.edgefleet.kit.messaging.InboundEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;
import java.util.function.Supplier;

/**
 * What cluster-service takes from {@code policy-events}: the tenants' policies (a cluster may name them at
 * create), which clusters have an OS patch schedule (policy
 * snapshots of OS_PATCH policies of mode RELINK), and the schedule's requests to roll onto the newest OS
 * release. Idempotent (inbox); every change is made for the event's tenant only. Run events matter only when they
 * carry the request id of a rollout's scan (the answer to {@code scan-requested}, {@link RolloutScans}).
 */
@ApplicationScoped
public class PolicyEventConsumer {

    static final String CONSUMER = "cluster-service/policy-events";
    private static final Set<String> POLICY_TYPES =
            Set.of(EventTypes.POLICY_CREATED, EventTypes.POLICY_UPDATED, EventTypes.POLICY_DELETED);

    @Inject
    OsPatchWindows windows;

    @Inject
    OsPatches osPatches;

    @Inject
    KnownPolicies knownPolicies;

    @Inject
    RolloutScans rolloutScans;

    @Inject
    InboundEvents inbound;

    @Inject
    ClusterConfig config;

    @Incoming("policy-events")
    public Uni<Void> onEvent(ConsumerRecord<String, byte[]> record) {
        return inbound.handle(CONSUMER, record, this::effectOf);
    }

    private Supplier<Uni<Void>> effectOf(CloudEvent event) {
        String tenant = event.tenant();
        if (POLICY_TYPES.contains(event.type())) {
            PolicySnapshot policy = event.dataAs(PolicySnapshot.class);
            if (policy == null
                    || policy.id() == null
                    || !policy.id().equals(event.subject())
                    || policy.kind() == null) {
                throw new InvalidEventException("policy event without a policy snapshot (kind, id = subject)");
            }
            boolean deleted = EventTypes.POLICY_DELETED.equals(event.type());
            return () -> knownPolicies
                    .apply(tenant, policy, deleted)
                    .chain(() -> windows.apply(tenant, policy, deleted))
                    .chain(osPatches::windowsClosed);
        }
        if (EventTypes.OS_PATCH_REQUESTED.equals(event.type())) {
            OsPatchRequested request = event.dataAs(OsPatchRequested.class);
            if (request == null
                    || request.runId() == null
                    || request.clusterId() == null
                    || !request.clusterId().equals(event.subject())) {
                throw new InvalidEventException("OS patch request without run id or cluster id (= subject)");
            }
            return () -> osPatches.request(tenant, request);
        }
        if (EventTypes.POLICY_RUN_CHANGED.equals(event.type())) {
            PolicyRunSnapshot run = event.dataAs(PolicyRunSnapshot.class);
            if (run == null || run.requestId() == null) {
                return null; // a run nobody here asked for
            }
            if (run.id() == null || run.status() == null || run.clusterId() == null) {
                throw new InvalidEventException("run answering a scan request without id, status or cluster id");
            }
            return () -> rolloutScans.record(tenant, run);
        }
        return null;
    }
}
