package io.edgefleet.kit.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "outbox")
public interface OutboxConfig {

    /** CloudEvent {@code source} of everything this service publishes, e.g. {@code /edgefleet/appliance-service}. */
    String source();

    /**
     * How often an idle relay looks for new events: a safety net, since a commit that wrote the outbox wakes it at once
     * ({@link OutboxNotifications}).
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** Most events published per database transaction. */
    @WithDefault("200")
    int batchSize();

    /** How long a send may wait for the broker before the batch is retried. */
    @WithDefault("10s")
    Duration sendTimeout();

    /** Published rows are kept this long (for audit and debugging), then deleted. */
    @WithDefault("P1D")
    Duration publishedRetention();

    /** Handled event ids are remembered this long; redeliveries come within minutes. */
    @WithDefault("P7D")
    Duration inboxRetention();

    /** How often the outbox backlog is sampled for the metrics (OutboxMetrics). */
    @WithDefault("15s")
    Duration metricsInterval();
}
