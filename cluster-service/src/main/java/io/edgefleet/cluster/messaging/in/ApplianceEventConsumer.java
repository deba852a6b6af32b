package io.edgefleet.cluster.messaging.in;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.service.Projections;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.kit.outbox.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;


/**
 * Keeps the projection of appliances (what pre-flight validation checks) from {@code appliance-events}:
 * every event carries the full snapshot, so handling is an upsert (a delete for {@code appliance.deleted}).
 */
@ApplicationScoped
public class ApplianceEventConsumer {

    static final String CONSUMER = "cluster-service/appliance-events";
    private static final Logger LOG = Logger.getLogger(ApplianceEventConsumer.class);

    @Inject
    Projections projections;
    @Inject
    ProcessedEvents processed;
    @Inject
    ClusterConfig config;

    @Incoming("appliance-events")
    public Uni<Void> onEvent(ConsumerRecord<String, byte[]> record) {
        CloudEvent event;
        ApplianceSnapshot snapshot;
        try {
            event = KafkaCloudEvents.fromRecord(record);
            snapshot = event.dataAs(ApplianceSnapshot.class);
            if (snapshot.uid() == null || !snapshot.uid().equals(event.subject()) || snapshot.status() == null) {
                throw new InvalidEventException("appliance snapshot without uid (matching the subject) or status");
            }
        } catch (InvalidEventException e) {
            LOG.warnf("skipping malformed appliance event at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return Uni.createFrom().voidItem();
        }
        boolean deleted = EventTypes.APPLIANCE_DELETED.equals(event.type());
        return processed.applyOnce(CONSUMER, event.id(), () -> deleted ? projections.forgetAppliance(event.tenant(), snapshot)
                        : projections.upsertAppliance(event.tenant(), snapshot),
                config.eventRetryFor(), () -> "appliance event " + event.id());
    }
}
