package io.edgefleet.events.payload;

import java.time.Instant;

/**
 * An appliance's edge identity as appliance-service sees it: whether it holds a certificate the broker
 * accepts. A certificate past {@code certificateExpiresAt} is expired even while the status says ENROLLED.
 *
 * @param status               NONE (never enrolled), ENROLLED, REVOKED (cut off until it re-enrols)
 * @param certificateSerial    the newest certificate's serial (hex), null when NONE
 * @param certificateExpiresAt the newest certificate's notAfter, null when NONE
 */
public record EdgeIdentity(Status status, String certificateSerial, Instant certificateExpiresAt) {

    public static final EdgeIdentity NONE = new EdgeIdentity(Status.NONE, null, null);

    public enum Status {
        NONE,
        ENROLLED,
        REVOKED
    }
}
