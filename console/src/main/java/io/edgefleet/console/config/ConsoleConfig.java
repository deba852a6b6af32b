package io.edgefleet.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the services the console calls listen (their base URLs, without {@code /v1}). */
@ConfigMapping(prefix = "console")
public interface ConsoleConfig {

    @WithDefault("http://localhost:18081")
    String applianceServiceUrl();

    @WithDefault("http://localhost:18082")
    String profileServiceUrl();

    @WithDefault("http://localhost:18083")
    String clusterServiceUrl();

    @WithDefault("http://localhost:18084")
    String policyServiceUrl();
}
