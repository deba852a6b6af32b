package io.edgefleet.gateway.link;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a gateway waits before its next connection attempt to the broker: a ceiling of 1 s doubling to 30 s, and a
 * pause drawn uniformly below it ("full jitter"). When the broker restarts, every site loses its connection at the
 * same moment; a pause of the ceiling ±20 % kept the whole fleet retrying in step (waves at 1, 3, 7, 15 s ...), each
 * wave more TLS handshakes than the broker could take before the devices timed out, so most sites stayed away for
 * minutes (deploy/bench/fleet-heartbeats.sh with STORM_AFTER: 10,000 appliances, half not back after 3 minutes).
 * Spread over the whole window, the retries arrive at the rate the window allows.
 */
public final class ReconnectBackoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);

    private ReconnectBackoff() {}

    /** The ceiling of the pause after {@code failures} attempts in a row (0: the connection was just lost). */
    public static Duration ceiling(int failures) {
        Duration doubled = FIRST.multipliedBy(1L << Math.min(Math.max(0, failures), 5));
        return doubled.compareTo(MAX) > 0 ? MAX : doubled;
    }

    /** The pause before the next attempt, in milliseconds: uniform in [0, ceiling]. */
    public static long pauseMillis(int failures) {
        return ThreadLocalRandom.current().nextLong(ceiling(failures).toMillis() + 1);
    }
}
