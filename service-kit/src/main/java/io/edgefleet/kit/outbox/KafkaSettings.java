package io.edgefleet.kit.outbox;

import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.Map;

/**
 * The service's Kafka client settings: every {@code kafka.*} property without the prefix (bootstrap servers and the
 * SASL login), as the messaging channels get them, for the clients a service makes itself (the outbox relay).
 */
public final class KafkaSettings {

    private static final String PREFIX = "kafka.";

    private KafkaSettings() {}

    public static Map<String, Object> of(Config config) {
        Map<String, Object> settings = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(value -> settings.put(name.substring(PREFIX.length()), value));
            }
        }
        return settings;
    }
}
