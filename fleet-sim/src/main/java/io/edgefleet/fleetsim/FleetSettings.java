package io.edgefleet.fleetsim;

import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the simulated fleet behaves.
 *
 * @param trust              the CAs the appliances trust for the broker (the platform CA), as the gateway's
 *                           {@code --custom-cacert}
 * @param mqttUrl            the broker to use instead of the one the enrolment answer names; null: that one
 * @param heartbeatInterval  between two heartbeats of one appliance
 * @param jitter             each interval is moved by a random amount within ± this
 * @param commandDelay       how long a simulated node command or policy task "runs" before its result is reported
 * @param connectConcurrency connection attempts (TLS handshake + CONNECT) in flight at once
 * @param sourceAddresses    local addresses the connections are spread over (several 127.x.y.z get past the ~28k
 *                           ephemeral ports of one); empty: the system picks
 * @param nettyThreads       event-loop threads shared by every appliance's connection
 */
public record FleetSettings(
        TrustManagerFactory trust,
        String mqttUrl,
        Duration heartbeatInterval,
        Duration jitter,
        Duration commandDelay,
        int connectConcurrency,
        List<InetAddress> sourceAddresses,
        int nettyThreads) {

    public FleetSettings {
        if (heartbeatInterval.isZero() || heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException("the heartbeat interval must be positive");
        }
        if (jitter.compareTo(heartbeatInterval) >= 0) {
            throw new IllegalArgumentException("the jitter must be less than the heartbeat interval");
        }
        sourceAddresses = List.copyOf(sourceAddresses);
    }
}
