package io.edgefleet.appliance.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "appliance")
public interface ApplianceConfig {

    Heartbeat heartbeat();

    interface Heartbeat {
        /** A READY appliance whose gateway has not reported for this long becomes UNREACHABLE. */
        @WithDefault("90s")
        Duration timeout();

        /** How often the heartbeat monitor looks for silent appliances. */
        @WithDefault("5s")
        Duration checkInterval();
    }
}
