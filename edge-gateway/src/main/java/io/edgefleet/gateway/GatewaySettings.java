package io.edgefleet.gateway;

import io.edgefleet.events.payload.ProxySettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the gateway runs with.
 *
 * @param uid              the appliance uid it reports as (default: the machine id)
 * @param tenant           the tenant its credential belongs to
 * @param bootstrapServers the management plane's Kafka brokers
 * @param ip               the appliance's address given to the installer, or null to detect it
 * @param virtual          bare metal with libvirt (virtualized clusters)
 * @param mode             {@code online} or {@code offline}
 * @param caPem            the installer's custom CA (PEM), handed to every node; null for none
 * @param stateDir         where the durable local state lives
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
        String caPem,
        Duration heartbeatInterval,
        Duration sendTimeout,
        Path stateDir) {

    public GatewaySettings {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(stateDir, "stateDir");
        mode = mode == null ? "online" : mode;
        proxy = proxy == null ? ProxySettings.NONE : proxy;
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(30) : heartbeatInterval;
        sendTimeout = sendTimeout == null ? Duration.ofSeconds(10) : sendTimeout;
    }
}
