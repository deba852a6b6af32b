package io.edgefleet.events.payload;

/**
 * Payload of {@code edgefleet.gateway.registered.v1} and {@code edgefleet.gateway.heartbeat.v1}
 * on {@code gateway-reports}, keyed by {@code uid}. Every report carries the full picture, so any
 * single report is enough to pair an appliance.
 *
 * @param mode {@code online} or {@code offline}
 */
public record GatewayReport(
        String uid,
        ApplianceKind kind,
        Inventory inventory,
        String gatewayVersion,
        String mode,
        String podCidr,
        String serviceCidr,
        ProxySettings proxy) {}
