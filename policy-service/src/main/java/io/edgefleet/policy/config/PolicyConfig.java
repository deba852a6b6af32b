package io.edgefleet.policy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "policy")
public interface PolicyConfig {

    /**
     * A node command with no report from its gateway for this long fails (and with it the run). Long enough for a
     * large backup upload over a slow link (the gateway reports when each step starts, not during it); an OS patch
     * command gets its own timeout on top.
     */
    @WithDefault("2h")
    Duration commandTimeout();

    /**
     * An OS patch run of mode RELINK with no answer from cluster-service for this long fails (rolling every node of
     * a cluster onto a new OS release can take a while).
     */
    @WithDefault("6h")
    Duration osPatchTimeout();

    /** How often due schedules, silent commands and expired backups are looked for. */
    @WithDefault("10s")
    Duration tickInterval();

    /** How often backups beyond their retention are deleted from the object stores. */
    @WithDefault("1m")
    Duration retentionInterval();

    /** How long the presigned URLs sent to gateways stay valid (a gateway offline longer fails the upload). */
    @WithDefault("6h")
    Duration presignedUrlTtl();

    /**
     * Key (base64 of 32 bytes) that encrypts object-store secrets at rest. Required: without it the service
     * cannot keep backup credentials. Generate one with {@code head -c 32 /dev/urandom | base64}.
     */
    String secretKey();

    /** Connect and read timeout of calls to object stores (retention deletes). */
    @WithDefault("10s")
    Duration storeTimeout();
}
