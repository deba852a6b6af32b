package io.edgefleet.appliance.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "appliance")
public interface ApplianceConfig {

    Heartbeat heartbeat();

    Enrolment enrolment();

    Deletion deletion();

    /** A deleted appliance stays deleted: its late reports are dropped (deletion/DeletedUid). */
    interface Deletion {
        /**
         * Reports dated up to this long after the delete are taken as sent before the edge cut the gateway off (its
         * access sync takes a moment; the gateway's clock may be a little ahead), and dropped.
         */
        @WithDefault("60s")
        Duration cutOff();

        /** How long a delete is remembered: longer than a report can wait at the broker or in Kafka. */
        @WithDefault("7d")
        Duration rememberFor();
    }

    /** How often appliances are counted by status for the metrics (ApplianceMetrics). */
    @WithDefault("15s")
    Duration metricsInterval();

    interface Heartbeat {
        /** A READY appliance whose gateway has not reported for this long becomes UNREACHABLE. */
        @WithDefault("90s")
        Duration timeout();

        /** How often the heartbeat monitor looks for silent appliances. */
        @WithDefault("5s")
        Duration checkInterval();

        /**
         * How old an edge bridge's last link status may be for the link to count (link/LinkGrace): a few of the
         * bridge's {@code bridge.link.report-interval} (5 s).
         */
        @WithDefault("15s")
        Duration linkFreshness();

        /**
         * When no bridge is live and one went stale without saying it stopped (crashed, cut off from Kafka, or this
         * service lagging behind), the platform is blind and the sweep is held back — for at most this long; then it
         * runs as without link statuses. Also the longest a fleet still reconnecting after a broker restart (the
         * broker's client count rising) holds the sweep back after the bridge linked again.
         */
        @WithDefault("30m")
        Duration linkBlindFor();

        /**
         * How long after a gateway's link-lost will was taken the sweep may turn its appliance UNREACHABLE: longer than
         * a bridge needs to report that it lost the broker itself (a stopping broker publishes every client's will at
         * once), so a platform outage is seen as such (link/LinkLoss).
         */
        @WithDefault("10s")
        Duration linkLostSettle();
    }

    /** The edge CA and what an enrolment answers (docs/edge-link.md). */
    interface Enrolment {
        /**
         * The edge CA's certificate (PEM). The first certificate signs; the file is served as {@code ca.pem}.
         * Unset: enrolment, renewal and the CA documents answer 503.
         */
        Optional<Path> caCertFile();

        /** The edge CA's private key (PEM, PKCS#8 or SEC1/PKCS#1, unencrypted; keep it 0600). */
        Optional<Path> caKeyFile();

        /** How long a device certificate is valid (never past the CA's own expiry). */
        @WithDefault("90d")
        Duration certificateValidity();

        /** The broker's device listener, handed to enrolled gateways. */
        @WithDefault("ssl://localhost:18883")
        String mqttUrl();

        /**
         * Whether enrolment is refused on plain HTTP: the registration token must cross the network only
         * inside TLS (the edge HTTPS port).
         */
        @WithDefault("true")
        boolean requireTls();
    }
}
