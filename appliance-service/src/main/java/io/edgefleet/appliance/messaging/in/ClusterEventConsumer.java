package io.edgefleet.appliance.messaging.in;

import io.edgefleet.appliance.service.ApplianceService;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.kit.outbox.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;

/**
 * Follows {@code cluster-events} to know which appliances clusters use: an appliance a cluster uses
 * cannot be deleted. Idempotent (inbox); a cluster's events arrive in order (one key).
 */
@ApplicationScoped
public class ClusterEventConsumer {

    static final String CONSUMER = "appliance-service/cluster-events";
    private static final Logger LOG = Logger.getLogger(ClusterEventConsumer.class);
    private static final Set<String> SNAPSHOT_TYPES = Set.of(EventTypes.CLUSTER_CREATED, EventTypes.CLUSTER_STATUS_CHANGED,
            EventTypes.CLUSTER_UPDATED, EventTypes.CLUSTER_DELETED);

    @Inject
    ApplianceService appliances;
    @Inject
    ProcessedEvents processed;
    @ConfigProperty(name = "appliance.reports.retry-for", defaultValue = "PT5M")
    Duration retryFor;

    @Incoming("cluster-events")
    public Uni<Void> onClusterEvent(ConsumerRecord<String, byte[]> record) {
        CloudEvent event;
        ClusterSnapshot cluster;
        try {
            event = KafkaCloudEvents.fromRecord(record);
            if (!SNAPSHOT_TYPES.contains(event.type())) {
                return Uni.createFrom().voidItem(); // provisioning tasks
            }
            cluster = event.dataAs(ClusterSnapshot.class);
            if (cluster.id() == null || cluster.id().isBlank()) {
                throw new InvalidEventException("cluster snapshot without id");
            }
        } catch (InvalidEventException e) {
            LOG.warnf("skipping malformed cluster event at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        Set<String> uids = cluster.status() == ClusterStatus.DELETED || cluster.applianceUids() == null
                ? Set.of() : Set.copyOf(cluster.applianceUids());
        return processed.applyOnce(CONSUMER, event.id(), () -> appliances.applyClusterUsage(event.tenant(), cluster.id(), uids), retryFor,
                () -> String.format("cluster event %s of cluster %s", event.id(), cluster.id()));
    }
}
