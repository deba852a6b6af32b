package io.edgefleet.appliance.deletion;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a report of an unknown uid that was deleted is a late one (pure, no I/O). A report sent before the delete can
 * reach this service after it (queued at the broker or in Kafka, or simply behind the delete in time): it must not
 * bring the uid back as a discovered appliance. Its time is the gateway's clock, and the edge cuts the gateway off only
 * a moment after the delete (the bridge's access sync denies its identity at the broker), so every report dated before
 * {@code deletedAt + cutOff} counts as late. A report dated after that is a new discovery (the broker lets the identity
 * in again only after a new enrolment or with another certificate of the uid).
 *
 * @param deletedAt when the appliance was deleted (this service's clock)
 */
public record DeletedUid(Instant deletedAt) {

    /** @param cutOff how long after the delete a report is still taken as sent before the edge cut the gateway off */
    public boolean late(Instant reportTime, Duration cutOff) {
        return reportTime.isBefore(deletedAt.plus(cutOff));
    }
}
