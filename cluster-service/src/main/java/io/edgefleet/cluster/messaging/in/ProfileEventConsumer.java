package io.edgefleet.cluster.messaging.in;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.rollout.ProfileChange;
import io.edgefleet.cluster.service.ProjectionService;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.payload.ProfileRelinked;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.kit.messaging.InboundEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps the projection of profile versions from {@code profile-events} (upsert by id; delete on
 * {@code profile.deleted}), and rolls the clusters built from a profile forward when one of its layers
 * is re-linked to a newer release or an update changes its layers. Pack events are not cluster-service's concern.
 */
@ApplicationScoped
public class ProfileEventConsumer {

    static final String CONSUMER = "cluster-service/profile-events";
    private static final Set<String> SNAPSHOT_TYPES = Set.of(
            EventTypes.PROFILE_CREATED,
            EventTypes.PROFILE_UPDATED,
            EventTypes.PROFILE_VERSION_CREATED,
            EventTypes.PROFILE_DELETED);

    @Inject
    ProjectionService projections;

    @Inject
    InboundEvents inbound;

    @Inject
    ClusterConfig config;

    @Incoming("profile-events")
    public Uni<Void> onEvent(ConsumerRecord<String, byte[]> record) {
        return inbound.handle(CONSUMER, record, this::effectOf);
    }

    private Supplier<Uni<Void>> effectOf(CloudEvent event) {
        boolean relinked = EventTypes.PROFILE_RELINKED.equals(event.type());
        if (!relinked && !SNAPSHOT_TYPES.contains(event.type())) {
            return null;
        }
        ProfileRelinked relink = relinked ? event.dataAs(ProfileRelinked.class) : null;
        ProfileSnapshot snapshot = relinked ? relink.profile() : event.dataAs(ProfileSnapshot.class);
        if (snapshot == null
                || snapshot.id() == null
                || snapshot.type() == null
                || !snapshot.id().equals(event.subject())) {
            throw new InvalidEventException("profile event without a profile snapshot whose id is the subject");
        }
        String tenant = event.tenant();
        if (EventTypes.PROFILE_DELETED.equals(event.type())) {
            return () -> projections.forgetProfile(tenant, snapshot);
        }
        if (relinked) {
            return () -> projections
                    .upsertProfile(tenant, snapshot)
                    .chain(() -> projections.rollForward(tenant, ProfileChange.relinked(relink)));
        }
        if (EventTypes.PROFILE_UPDATED.equals(event.type())) {
            return () -> projections.updateProfile(tenant, snapshot);
        }
        return () -> projections.upsertProfile(tenant, snapshot);
    }
}
