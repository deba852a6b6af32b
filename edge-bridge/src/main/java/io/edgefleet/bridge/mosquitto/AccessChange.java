package io.edgefleet.bridge.mosquitto;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.EdgeIdentity;

/**
 * What an event on {@code appliance-events} means for an identity's access to the broker: cut off when the appliance
 * is deleted or its identity is REVOKED, allowed again when a snapshot says ENROLLED (a new certificate).
 *
 * @param identity {@code <tenant>/<uid>}, the certificate's CN
 * @param cutOff   true: deny everything; false: lift a deny entry
 */
record AccessChange(String identity, boolean cutOff) {

    /**
     * @return the change, or null when the event says nothing about access (identity NONE)
     * @throws InvalidEventException when the event names no valid identity or its payload is not a snapshot
     */
    static AccessChange of(CloudEvent event, String key) {
        String uid = event.subject() != null ? event.subject() : key;
        if (!EdgeTopics.validName(uid) || !EdgeTopics.validName(event.tenant())) {
            throw new InvalidEventException("no edge identity in tenant '" + event.tenant() + "', uid '" + uid + "'");
        }
        String identity = EdgeTopics.identity(event.tenant(), uid);
        if (EventTypes.APPLIANCE_DELETED.equals(event.type())) {
            return new AccessChange(identity, true);
        }
        EdgeIdentity.Status status =
                event.dataAs(ApplianceSnapshot.class).identity().status();
        return switch (status) {
            case REVOKED -> new AccessChange(identity, true);
            case ENROLLED -> new AccessChange(identity, false);
            case NONE -> null;
        };
    }
}
