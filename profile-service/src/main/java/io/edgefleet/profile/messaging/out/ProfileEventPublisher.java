package io.edgefleet.profile.messaging.out;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.PackVersionPublished;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileRelinked;
import io.edgefleet.kit.outbox.Outbox;
import io.edgefleet.profile.repository.PackVersion;
import io.edgefleet.profile.repository.Profile;
import io.edgefleet.profile.repository.Registry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Everything profile-service publishes on {@code profile-events}, through the outbox: call these in the
 * transaction of the change. Profile events are keyed by profile id; pack events by
 * {@code <registryId>/<pack>} so one pack's versions arrive in order.
 */
@ApplicationScoped
public class ProfileEventPublisher {

    @Inject
    Outbox outbox;

    /** created, updated, version-created or deleted: the profile's snapshot after the change (its last state for deleted). */
    public Uni<Void> profile(Profile profile, String type) {
        String id = profile.id.toString();
        return outbox.add(Topics.PROFILE_EVENTS, id, type, id, profile.tenant, profile.snapshot())
                .replaceWithVoid();
    }

    public Uni<Void> relinked(Profile profile, ProfileLayer before, ProfileLayer after) {
        String id = profile.id.toString();
        var payload = new ProfileRelinked(
                id,
                profile.name,
                profile.version,
                after.index(),
                after.layer(),
                after.registryId(),
                after.name(),
                after.version(),
                before.resolvedVersion(),
                after.resolvedVersion(),
                profile.snapshot());
        return outbox.add(Topics.PROFILE_EVENTS, id, EventTypes.PROFILE_RELINKED, id, profile.tenant, payload)
                .replaceWithVoid();
    }

    public Uni<Void> packPublished(Registry registry, PackVersion version) {
        String key = registry.id + "/" + version.name;
        var payload = new PackVersionPublished(
                registry.id,
                registry.name,
                registry.kind,
                version.name,
                version.layer,
                version.addonType,
                version.version,
                version.prerelease,
                version.appVersion,
                version.digest,
                version.publishedAt);
        return outbox.add(
                        Topics.PROFILE_EVENTS,
                        key,
                        EventTypes.PACK_VERSION_PUBLISHED,
                        key + "/" + version.version,
                        registry.eventTenant(),
                        payload)
                .replaceWithVoid();
    }
}
