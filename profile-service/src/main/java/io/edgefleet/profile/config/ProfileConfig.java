package io.edgefleet.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "profile")
public interface ProfileConfig {

    Registry registry();

    interface Registry {
        /** A registry with a URL is synced again when its last sync is older than this. */
        @WithDefault("15m")
        Duration syncInterval();

        /** How often the scheduler looks for registries due for a sync (new ones are synced within this). */
        @WithDefault("30s")
        Duration checkInterval();

        /** Connect and read timeout of one index download. */
        @WithDefault("20s")
        Duration fetchTimeout();

        /** Largest index accepted, in bytes (a big public Helm repository's index is tens of megabytes). */
        @WithDefault("67108864")
        long maxIndexBytes();

        /**
         * Whether registry URLs may point at this machine (127.0.0.0/8, ::1, localhost). Off by default:
         * tenants choose the URLs, and the service must not become their way into its own host.
         */
        @WithDefault("false")
        boolean allowLoopback();
    }
}
