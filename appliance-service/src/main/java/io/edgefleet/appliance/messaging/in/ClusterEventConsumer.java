package io.edgefleet.appliance.messaging.in;

import io.edgefleet.appliance.service.ApplianceService;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.kit.messaging.InboundEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Follows {@code cluster-events} to know which appliances clusters use: an appliance a cluster uses
 * cannot be deleted. Idempotent (inbox); a cluster's events arrive in order (one key).
 */
@ApplicationScoped
public class ClusterEventConsumer {

    static final String CONSUMER = "appliance-service/cluster-events";
    private static final Set<String> SNAPSHOT_TYPES = Set.of(
            EventTypes.CLUSTER_CREATED,
            EventTypes.CLUSTER_STATUS_CHANGED,
            EventTypes.CLUSTER_UPDATED,
            EventTypes.CLUSTER_DELETED);

    @Inject
    ApplianceService appliances;

    @Inject
    InboundEvents inbound;

    @Incoming("cluster-events")
    public Uni<Void> onClusterEvent(ConsumerRecord<String, byte[]> record) {
        return inbound.handle(CONSUMER, record, this::effectOf);
    }

    private Supplier<Uni<Void>> effectOf(CloudEvent event) {
        if (!SNAPSHOT_TYPES.contains(event.type())) {
            return null; // provisioning tasks
        }
        ClusterSnapshot cluster = event.dataAs(ClusterSnapshot.class);
        if (cluster.id() == null || cluster.id().isBlank()) {
            throw new InvalidEventException("cluster snapshot without id");
        }
        Set<String> uids = cluster.status() == ClusterStatus.DELETED || cluster.applianceUids() == null
                ? Set.of()
                : Set.copyOf(cluster.applianceUids());
        return () -> appliances.applyClusterUsage(event.tenant(), cluster.id(), uids);
    }
}
