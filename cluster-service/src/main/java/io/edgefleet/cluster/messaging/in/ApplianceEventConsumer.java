package io.edgefleet.cluster.messaging.in;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.service.ProjectionService;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.kit.messaging.InboundEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.function.Supplier;

/**
 * Keeps the projection of appliances (what pre-flight validation checks) from {@code appliance-events}:
 * every event carries the full snapshot, so handling is an upsert (a delete for {@code appliance.deleted}).
 */
@ApplicationScoped
public class ApplianceEventConsumer {

    static final String CONSUMER = "cluster-service/appliance-events";

    @Inject
    ProjectionService projections;

    @Inject
    InboundEvents inbound;

    @Inject
    ClusterConfig config;

    @Incoming("appliance-events")
    public Uni<Void> onEvent(ConsumerRecord<String, byte[]> record) {
        return inbound.handle(CONSUMER, record, this::effectOf);
    }

    private Supplier<Uni<Void>> effectOf(CloudEvent event) {
        ApplianceSnapshot snapshot = event.dataAs(ApplianceSnapshot.class);
        if (snapshot.uid() == null || !snapshot.uid().equals(event.subject()) || snapshot.status() == null) {
            throw new InvalidEventException("appliance snapshot without uid (matching the subject) or status");
        }
        return EventTypes.APPLIANCE_DELETED.equals(event.type())
                ? () -> projections.forgetAppliance(event.tenant(), snapshot)
                : () -> projections.upsertAppliance(event.tenant(), snapshot);
    }
}
