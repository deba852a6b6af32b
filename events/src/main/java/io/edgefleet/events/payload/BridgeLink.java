package io.edgefleet.events.payload;

import java.time.Instant;

/**
 * An edge bridge's link to the edge broker ({@code edgefleet.bridge.link.v1} on {@code gateway-reports}), sent by the
 * bridge every few seconds and at each change. appliance-service trusts silence only while the link is trusted.
 *
 * @param bridgeId the bridge instance (its MQTT client id); key and subject of the event
 * @param linked   connected to the broker and subscribed to the report topics
 * @param since    when the link last changed to {@code linked} (bridge clock)
 * @param sentAt   when this status was sent (bridge clock)
 * @param stopping the bridge's last word as it stops (not linked): it is gone, not away — its status no longer counts
 */
public record BridgeLink(String bridgeId, boolean linked, Instant since, Instant sentAt, boolean stopping) {

    /** The {@code tenant} of a bridge's own event: it is about no tenant (like profile-service's {@code _system}). */
    public static final String PLATFORM_TENANT = "_platform";
}
