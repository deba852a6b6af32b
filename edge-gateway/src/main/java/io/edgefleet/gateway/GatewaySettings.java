package io.edgefleet.gateway;

import io.edgefleet.events.payload.ProxySettings;

import java.time.Duration;
import java.util.Objects;

/**
 * What the gateway was set up with.
 *
 * @param uid              the appliance uid it reports as (default: the machine id)
 * @param tenant           the tenant its credential belongs to
 * @param bootstrapServers the management plane's Kafka brokers
 * @param ip               the appliance's address given to the installer, or null to detect it
 * @param virtual          bare metal with libvirt (virtualized clusters)
 * @param mode             {@code online} or {@code offline}
 */
public record GatewaySettings(
        String uid,
        String tenant,
        String bootstrapServers,
        String ip,
        boolean virtual,
        String mode,
        String podCidr,
        String serviceCidr,
        ProxySettings proxy,
        Duration heartbeatInterval,
        Duration sendTimeout) {

    public GatewaySettings {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        mode = mode == null ? "online" : mode;
        proxy = proxy == null ? ProxySettings.NONE : proxy;
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(30) : heartbeatInterval;
        sendTimeout = sendTimeout == null ? Duration.ofSeconds(10) : sendTimeout;
    }
}
