package io.edgefleet.bridge.link;

import java.time.Instant;

/**
 * The edge broker's connected-client count over the bridge's connections (Mosquitto publishes it on
 * {@link #TOPIC} every {@code sys_interval}): after a broker restart the whole fleet reconnects, at the rate the broker
 * takes TLS handshakes (~17/s on a busy 2-core box: 10,000 appliances need ~10 min), and appliance-service must not
 * take the ones still in the queue for silent sites. It learns from this whether the count is still rising, and what
 * it was before the connection was lost. Pure bookkeeping (no I/O); thread-safe (MQTT and reporter threads).
 */
public final class BrokerClients {

    /** Mosquitto's count of connected clients (retained; devices and the bridge itself). */
    public static final String TOPIC = "$SYS/broker/clients/connected";

    /**
     * What the link status carries.
     *
     * @param connected the last count seen on the current connection (null: none yet)
     * @param before    the last count seen on an earlier connection: the fleet before the link was lost (null: none)
     * @param roseAt    when the count last reached a new high on the current connection (null: it has not risen)
     */
    public record Snapshot(Integer connected, Integer before, Instant roseAt) {}

    private Integer connected;
    private Integer before;
    private Integer high;
    private Instant roseAt;

    /**
     * A count published by the broker. The first one of a connection is its baseline; a later one above every count
     * of the connection so far is a rise (a client that merely reconnects does not raise the high).
     */
    public synchronized void seen(int count, Instant at) {
        connected = count;
        if (high == null) {
            high = count;
        } else if (count > high) {
            high = count;
            roseAt = at;
        }
    }

    /** The bridge's connection ended: what it last saw becomes "before" (kept over failed reconnection attempts). */
    public synchronized void connectionLost() {
        if (connected != null) {
            before = connected;
        }
        connected = null;
        high = null;
        roseAt = null;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(connected, before, roseAt);
    }

    /** The count in a {@link #TOPIC} payload, or null when it is not one (a broker of another kind). */
    public static Integer parse(byte[] payload) {
        try {
            int count = Integer.parseInt(new String(payload, java.nio.charset.StandardCharsets.US_ASCII).trim());
            return count < 0 ? null : count;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
