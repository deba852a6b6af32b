package io.edgefleet.events.payload;

import java.time.Instant;

/**
 * An edge bridge's link to the edge broker ({@code edgefleet.bridge.link.v1} on {@code gateway-reports}), sent by the
 * bridge every few seconds and at each change. appliance-service trusts silence only while the link is trusted.
 *
 * @param bridgeId       the bridge instance (its MQTT client id); key and subject of the event
 * @param linked         connected to the broker and subscribed to the report topics
 * @param since          when the link last changed to {@code linked} (bridge clock)
 * @param sentAt         when this status was sent (bridge clock)
 * @param stopping       the bridge's last word as it stops (not linked): it is gone, not away — its status no longer
 *                       counts
 * @param brokerClients  the broker's connected-client count as it last published it ({@code
 *                       $SYS/broker/clients/connected}); null when the bridge has not seen one on this connection
 *                       (an older bridge, or a broker whose ACL does not let the bridge read it)
 * @param clientsBefore  the last count the bridge saw before its current connection began: the fleet before the link
 *                       was lost (null: none seen)
 * @param clientsRoseAt  when the count last reached a new high since the bridge's connection began (bridge clock):
 *                       the fleet is still reconnecting after a broker restart; null when it has not risen since
 */
public record BridgeLink(
        String bridgeId,
        boolean linked,
        Instant since,
        Instant sentAt,
        boolean stopping,
        Integer brokerClients,
        Integer clientsBefore,
        Instant clientsRoseAt) {

    /** The {@code tenant} of a bridge's own event: it is about no tenant (like profile-service's {@code _system}). */
    public static final String PLATFORM_TENANT = "_platform";

    /** A status without the broker's client count (as a bridge before it sends). */
    public BridgeLink(String bridgeId, boolean linked, Instant since, Instant sentAt, boolean stopping) {
        this(bridgeId, linked, since, sentAt, stopping, null, null, null);
    }
}
