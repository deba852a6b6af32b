package io.edgefleet.events.payload;

import java.time.Instant;

/**
 * Payload of {@code edgefleet.gateway.link-lost.v1} on {@code gateway-reports}, keyed by {@code uid}: the gateway's MQTT 5
 * will. The gateway hands it to the broker as it connects; the broker publishes it on the gateway's own report topic
 * only when that connection ended without a DISCONNECT and the session was not resumed within the will delay — so a
 * reconnect changes nothing and a graceful stop sends none.
 *
 * @param uid              the appliance; equals the event's subject
 * @param connectedAt      when the lost connection began (also the event's time): a report of a later connection
 *                         ({@link GatewayReport#connectedAt}) makes this will stale
 * @param willDelaySeconds how long the broker waited for the session to resume before publishing it
 */
public record LinkLost(String uid, Instant connectedAt, long willDelaySeconds) {}
