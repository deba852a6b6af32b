package io.edgefleet.gateway;

import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.gateway.commands.CommandExecutor;
import io.edgefleet.gateway.identity.IdentitySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the gateway runs with.
 * <p>
 * In-process use (other modules' tests): give an identity issued elsewhere, e.g. a device certificate from
 * test-support's {@code EdgePki}, and the broker's device listener:
 * <pre>{@code
 * EdgePki.Issued device = pki.device("tenant-a", uid);
 * GatewaySettings settings = GatewaySettings.issued(uid, device.certFile(), device.keyFile(), broker.deviceUrl(),
 *         pki.platformCa().certFile(), stateDir);
 * new EdgeGateway(settings, InventoryProbe.ofThisMachine(), new DockerNodeDriver(dockerHost, "tenant-a")).start();
 * }</pre>
 * The installed gateway enrols instead ({@link IdentitySource.Enrol}).
 *
 * @param uid               the appliance uid it reports as (default: the machine id); the certificate's uid
 * @param identity          how it gets its certificate: enrolment with a registration token, or one issued elsewhere
 * @param trustedCaFile     CA certificate(s), PEM, trusted next to the JDK's for the broker and the enrolment endpoint
 *                          (the installer's {@code --custom-cacert}: the platform CA of a private deployment); null: the
 *                          JDK's CAs only
 * @param ip                the appliance's address given to the installer, or null to detect it
 * @param virtual           bare metal with libvirt (virtualized clusters)
 * @param mode              {@code online} or {@code offline}
 * @param proxy             the installer's proxies: for the gateway's own connections and handed to the nodes
 * @param caPem             the installer's custom CA (PEM), handed to every node; null for none
 * @param sendTimeout       how long a report waits for the broker's PUBACK before it is tried again
 * @param stateDir          where the durable local state lives (commands, report outbox, identity)
 * @param zipkinEndpoint    where its spans go (Zipkin's {@code /api/v2/spans}); null: none are exported, the trace
 *                          context still travels from the commands to their results
 * @param maxNodeOperations how many commands of different nodes run at once (key {@code commands.max-concurrent});
 *                          one node's commands always run one at a time, in order
 */
public record GatewaySettings(
        String uid,
        IdentitySource identity,
        Path trustedCaFile,
        String ip,
        boolean virtual,
        String mode,
        String podCidr,
        String serviceCidr,
        ProxySettings proxy,
        String caPem,
        Duration heartbeatInterval,
        Duration sendTimeout,
        Path stateDir,
        String zipkinEndpoint,
        int maxNodeOperations) {

    public GatewaySettings {
        Objects.requireNonNull(uid, "uid");
        if (!EdgeTopics.validName(uid)) {
            throw new IllegalArgumentException("uid '" + uid + "' cannot be an edge identity");
        }
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(stateDir, "stateDir");
        mode = mode == null ? "online" : mode;
        proxy = proxy == null ? ProxySettings.NONE : proxy;
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(30) : heartbeatInterval;
        sendTimeout = sendTimeout == null ? Duration.ofSeconds(10) : sendTimeout;
        zipkinEndpoint = zipkinEndpoint == null || zipkinEndpoint.isBlank() ? null : zipkinEndpoint;
        if (maxNodeOperations < 1) {
            throw new IllegalArgumentException("maxNodeOperations must be at least 1, not " + maxNodeOperations);
        }
    }

    /** With the default number of concurrent node operations. */
    public GatewaySettings(
            String uid,
            IdentitySource identity,
            Path trustedCaFile,
            String ip,
            boolean virtual,
            String mode,
            String podCidr,
            String serviceCidr,
            ProxySettings proxy,
            String caPem,
            Duration heartbeatInterval,
            Duration sendTimeout,
            Path stateDir,
            String zipkinEndpoint) {
        this(
                uid,
                identity,
                trustedCaFile,
                ip,
                virtual,
                mode,
                podCidr,
                serviceCidr,
                proxy,
                caPem,
                heartbeatInterval,
                sendTimeout,
                stateDir,
                zipkinEndpoint,
                CommandExecutor.DEFAULT_MAX_RUNNING);
    }

    /** Without exporting spans. */
    public GatewaySettings(
            String uid,
            IdentitySource identity,
            Path trustedCaFile,
            String ip,
            boolean virtual,
            String mode,
            String podCidr,
            String serviceCidr,
            ProxySettings proxy,
            String caPem,
            Duration heartbeatInterval,
            Duration sendTimeout,
            Path stateDir) {
        this(
                uid,
                identity,
                trustedCaFile,
                ip,
                virtual,
                mode,
                podCidr,
                serviceCidr,
                proxy,
                caPem,
                heartbeatInterval,
                sendTimeout,
                stateDir,
                null);
    }

    /** Spans to the Zipkin server at {@code endpoint} ({@code http://host:9411/api/v2/spans}); null: none. */
    public GatewaySettings withZipkinEndpoint(String endpoint) {
        return new GatewaySettings(
                uid,
                identity,
                trustedCaFile,
                ip,
                virtual,
                mode,
                podCidr,
                serviceCidr,
                proxy,
                caPem,
                heartbeatInterval,
                sendTimeout,
                stateDir,
                endpoint,
                maxNodeOperations);
    }

    /**
     * A containerized, online gateway with a certificate issued elsewhere (its tenant is the certificate's), heartbeats
     * every second; change the rest with the {@code with…} methods.
     *
     * @param mqttUrl       the broker's device listener, e.g. {@code ssl://localhost:18883}
     * @param trustedCaFile the CA of the broker's server certificate (the platform CA)
     */
    public static GatewaySettings issued(
            String uid, Path certFile, Path keyFile, String mqttUrl, Path trustedCaFile, Path stateDir) {
        return new GatewaySettings(
                uid,
                new IdentitySource.Issued(certFile, keyFile, mqttUrl),
                trustedCaFile,
                "127.0.0.1",
                false,
                "online",
                null,
                null,
                ProxySettings.NONE,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                stateDir);
    }

    public GatewaySettings withNodeSettings(
            String ip, boolean virtual, String mode, String podCidr, String serviceCidr) {
        return new GatewaySettings(
                uid,
                identity,
                trustedCaFile,
                ip,
                virtual,
                mode,
                podCidr,
                serviceCidr,
                proxy,
                caPem,
                heartbeatInterval,
                sendTimeout,
                stateDir,
                zipkinEndpoint,
                maxNodeOperations);
    }

    public GatewaySettings withProxy(ProxySettings proxy) {
        return new GatewaySettings(
                uid,
                identity,
                trustedCaFile,
                ip,
                virtual,
                mode,
                podCidr,
                serviceCidr,
                proxy,
                caPem,
                heartbeatInterval,
                sendTimeout,
                stateDir,
                zipkinEndpoint,
                maxNodeOperations);
    }

    public GatewaySettings withHeartbeatInterval(Duration heartbeatInterval) {
        return new GatewaySettings(
                uid,
                identity,
                trustedCaFile,
                ip,
                virtual,
                mode,
                podCidr,
                serviceCidr,
                proxy,
                caPem,
                heartbeatInterval,
                sendTimeout,
                stateDir,
                zipkinEndpoint,
                maxNodeOperations);
    }

    public GatewaySettings withIdentity(IdentitySource identity) {
        return new GatewaySettings(
                uid,
                identity,
                trustedCaFile,
                ip,
                virtual,
                mode,
                podCidr,
                serviceCidr,
                proxy,
                caPem,
                heartbeatInterval,
                sendTimeout,
                stateDir,
                zipkinEndpoint,
                maxNodeOperations);
    }

    /** At most {@code max} commands of different nodes at once (at least 1). */
    public GatewaySettings withMaxNodeOperations(int max) {
        return new GatewaySettings(
                uid,
                identity,
                trustedCaFile,
                ip,
                virtual,
                mode,
                podCidr,
                serviceCidr,
                proxy,
                caPem,
                heartbeatInterval,
                sendTimeout,
                stateDir,
                zipkinEndpoint,
                max);
    }
}
