package io.edgefleet.cluster.messaging.in;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.service.Projections;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.payload.ProfileRelinked;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.kit.outbox.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.Set;

/**
 * Keeps the projection of profile versions from {@code profile-events} (upsert by id; delete on
 * {@code profile.deleted}), and rolls the clusters built from a profile forward when one of its layers
 * is re-linked to a newer release. Pack events are not cluster-service's concern.
 */
@ApplicationScoped
public class ProfileEventConsumer {

    static final String CONSUMER = "cluster-service/profile-events";
    private static final Logger LOG = Logger.getLogger(ProfileEventConsumer.class);
    private static final Set<String> SNAPSHOT_TYPES = Set.of(EventTypes.PROFILE_CREATED, EventTypes.PROFILE_UPDATED,
            EventTypes.PROFILE_VERSION_CREATED, EventTypes.PROFILE_DELETED);

    @Inject
    Projections projections;
    @Inject
    ProcessedEvents processed;
    @Inject
    ClusterConfig config;

    @Incoming("profile-events")
    public Uni<Void> onEvent(ConsumerRecord<String, byte[]> record) {
        CloudEvent event;
        ProfileSnapshot snapshot;
        ProfileRelinked relink = null;
        boolean relinked;
        try {
            event = KafkaCloudEvents.fromRecord(record);
            relinked = EventTypes.PROFILE_RELINKED.equals(event.type());
            if (!relinked && !SNAPSHOT_TYPES.contains(event.type())) {
                return Uni.createFrom().voidItem();
            }
            if (relinked) {
                relink = event.dataAs(ProfileRelinked.class);
                snapshot = relink.profile();
            } else {
                snapshot = event.dataAs(ProfileSnapshot.class);
            }
            if (snapshot == null || snapshot.id() == null || snapshot.type() == null || !snapshot.id().equals(event.subject())) {
                throw new InvalidEventException("profile event without a profile snapshot whose id is the subject");
            }
        } catch (InvalidEventException e) {
            LOG.warnf("skipping malformed profile event at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return Uni.createFrom().voidItem();
        }
        String tenant = event.tenant();
        boolean deleted = EventTypes.PROFILE_DELETED.equals(event.type());
        ProfileRelinked relinkedTo = relink;
        return processed.applyOnce(CONSUMER, event.id(), () -> {
            if (deleted) {
                return projections.forgetProfile(tenant, snapshot);
            }
            Uni<Void> upsert = projections.upsertProfile(tenant, snapshot);
            return relinked ? upsert.chain(() -> projections.rollForward(tenant, relinkedTo)) : upsert;
        }, config.eventRetryFor(), () -> "profile event " + event.id());
    }
}
