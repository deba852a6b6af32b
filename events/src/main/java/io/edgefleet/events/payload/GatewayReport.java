package io.edgefleet.events.payload;

import java.time.Instant;

/**
 * Payload of {@code edgefleet.gateway.registered.v1} and {@code edgefleet.gateway.heartbeat.v1}
 * on {@code gateway-reports}, keyed by {@code uid}. Every report carries the full picture, so any
 * single report is enough to pair an appliance.
 *
 * @param mode        {@code online} or {@code offline}
 * @param connectedAt when the gateway's MQTT connection that was up as the report was made began (null: an older
 *                    gateway): the connection a later {@code link-lost} will must not outlive
 *                    ({@link LinkLost#connectedAt})
 */
public record GatewayReport(
        String uid,
        ApplianceKind kind,
        Inventory inventory,
        String gatewayVersion,
        String mode,
        String podCidr,
        String serviceCidr,
        ProxySettings proxy,
        Instant connectedAt) {

    /** A report without its connection's time (an older gateway, tests). */
    public GatewayReport(
            String uid,
            ApplianceKind kind,
            Inventory inventory,
            String gatewayVersion,
            String mode,
            String podCidr,
            String serviceCidr,
            ProxySettings proxy) {
        this(uid, kind, inventory, gatewayVersion, mode, podCidr, serviceCidr, proxy, null);
    }

    /** This report, made on the connection that began at {@code connectedAt}. */
    public GatewayReport onConnection(Instant connectedAt) {
        return new GatewayReport(uid, kind, inventory, gatewayVersion, mode, podCidr, serviceCidr, proxy, connectedAt);
    }
}
