package io.edgefleet.bridge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The bridge's own settings ({@code bridge.*}); Kafka clients take everything under {@code kafka.*}. */
@ConfigMapping(prefix = "bridge")
public interface BridgeConfig {

    /** Deadline of a command without {@code ce_expiresat}, counted from its {@code ce_time}. */
    @WithDefault("1h")
    Duration commandTtl();

    Mqtt mqtt();

    Commands commands();

    Mosquitto mosquitto();

    Link link();

    /** The bridge's own link status on {@code gateway-reports} (edgefleet.bridge.link.v1). */
    interface Link {
        /** How often the status is sent (and at each change): appliance-service's freshness bound is a few of these. */
        @WithDefault("5s")
        Duration reportInterval();
    }

    /** The broker's platform listener, with the bridge's client certificate. */
    interface Mqtt {
        /** {@code ssl://host:port} (TLS only). */
        URI url();

        /** The bridge's certificate (PEM, may carry its chain). */
        Path certFile();

        /** Its private key (PKCS#8 PEM). */
        Path keyFile();

        /** The CA that signed the broker's server certificate (the platform CA). */
        Path caFile();

        /** Stable per instance: the broker keeps this session's shared subscription and unacknowledged reports. */
        String clientId();

        @WithDefault("30s")
        Duration keepAlive();

        /** Reports the broker may have in flight to this instance, unacknowledged: bounds memory while Kafka is down. */
        @WithDefault("64")
        int receiveMaximum();
    }

    interface Commands {
        @WithDefault("edge-bridge")
        String groupId();

        /** How long a batch waits for its PUBACKs before the unacknowledged rest is tried again. */
        @WithDefault("30s")
        Duration publishTimeout();
    }

    /** The access sync beside a Mosquitto broker; on when {@code acl-file} is set. */
    interface Mosquitto {
        /** The device listener's ACL file, written by the bridge (the two patterns plus a deny entry per cut-off identity). */
        Optional<Path> aclFile();

        /** appliance-service's public CRL: {@code GET /v1/certificate-authority/crl.pem}. */
        Optional<URI> crlUrl();

        /** Where the device listener's {@code crlfile} points. */
        Optional<Path> crlFile();

        /** The edge CA certificate: a CRL must be signed by it. */
        Optional<Path> edgeCaFile();

        /** Mosquitto's {@code pid_file}: SIGHUP re-reads the ACL file and the CRL. */
        Optional<Path> pidFile();

        /** The CRL expires (7 days): fetched again this often, installed when newer. */
        @WithDefault("1m")
        Duration crlRefresh();

        @WithDefault("edge-bridge-access")
        String groupId();
    }
}
