package io.edgefleet.cluster.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "cluster")
public interface ClusterConfig {

    /**
     * A node command with no report (progress or result) from its gateway for this long fails its task
     * and the cluster. A result that arrives later is still applied (and resumes the cluster if it
     * failed only because of that silence).
     */
    @WithDefault("10m")
    Duration commandTimeout();

    /** How often the orchestrator looks for silent commands and clusters with work left. */
    @WithDefault("5s")
    Duration tickInterval();

    /** How often rollouts with work left get a planner pass ({@code service.RolloutRunner}). */
    @WithDefault("5s")
    Duration rolloutInterval();

    /**
     * A rollout's scan in the health gate: how long a scan request with no run seen from policy-service waits before
     * it is sent again (the same request id; policy-service runs it once).
     */
    @WithDefault("1m")
    Duration scanResendInterval();

    /** How often clusters are counted by status for the metrics (ClusterMetrics). */
    @WithDefault("15s")
    Duration metricsInterval();

    /** Node image of containerized clusters when the OS layer does not name one ({@code pack.containerImage}). */
    @WithDefault("edgefleet/node:latest")
    String nodeImage();

    /**
     * Progress streams (Server-Sent Events of {@code GET /v1/clusters/{id}/events}) one user may have open at once on
     * this instance; one more is answered 429. Each stream polls the database, so they are not free.
     */
    @WithDefault("10")
    int streamsPerUser();

    /**
     * How long a node may stay down (its gateway sees it stopped or crashed while it should run) before it is
     * repaired: started again by a start-node command, or replaced as its pool's rolling strategy says when it will
     * not start. Meanwhile the cluster is DEGRADED. Long enough for the appliance's own recovery (the engine's restart
     * policy, the gateway's reconcile after a reboot) to come first.
     */
    @WithDefault("2m")
    Duration nodeRepairAfter();

    /**
     * How long {@code GET …/nodes/{node}/console} waits for the gateway's answer before it answers 202 (the caller asks
     * again and waits on the same read).
     */
    @WithDefault("10s")
    Duration consoleWait();

    /**
     * How long a console read stays open: the read command's deadline (the broker drops it after that). A read still
     * unanswered then is given up, and the next request sends a new one.
     */
    @WithDefault("1m")
    Duration consoleReadTimeout();
}
