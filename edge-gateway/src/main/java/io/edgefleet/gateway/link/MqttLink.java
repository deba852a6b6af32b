package io.edgefleet.gateway.link;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.MqttProxyConfig;
import com.hivemq.client.mqtt.MqttProxyProtocol;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.MqttEncodeException;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5WillPublish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.MqttCloudEvents;
import io.edgefleet.events.payload.LinkLost;
import io.edgefleet.gateway.identity.DeviceIdentity;
import io.edgefleet.gateway.identity.TlsMaterial;
import io.edgefleet.gateway.proxy.ProxyRoutes;
import org.jboss.logging.Logger;

import javax.net.ssl.TrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The gateway's MQTT 5 connection to the management plane (docs/edge-link.md): TLS with the device certificate,
 * client id = the identity {@code <tenant>/<uid>}, a clean session on the first connection after an enrolment and
 * the same session (never expiring: EdgeTopics.SESSION_NEVER_EXPIRES) ever after, QoS 1 both ways. One thread keeps it up: it reconnects with a
 * growing pause (up to 30 s) after a loss, and moves to a new certificate when the identity changes (renewal,
 * re-enrolment).
 * <p>
 * <b>Commands</b> ({@code edgefleet/<tenant>/<uid>/commands}) go, one at a time and in order, to {@link Commands},
 * and are acknowledged (PUBACK) only once it returned — after the command was recorded durably. A message whose
 * CloudEvent names another subject or tenant is acknowledged and ignored. <b>Reports</b> are published to
 * {@code edgefleet/<tenant>/<uid>/reports} by {@link #publish}, which returns only after the broker's PUBACK.
 * A new client object is built for every connection, so a connection never carries state of an earlier one.
 * <p>
 * <b>Presence</b>: every connection carries an MQTT 5 will on the report topic, {@code link-lost} ({@link #linkLostWill}),
 * with a will delay ({@link #WILL_DELAY_PROPERTY}, 30 s by default): the broker publishes it only when the connection
 * ended without a normal DISCONNECT and the session was not resumed within the delay, so a reconnect within it changes
 * nothing. {@link #close} (the gateway's shutdown) disconnects with reason 0x04 "Disconnect with Will Message": a stopped
 * gateway is announced like a lost one, after the same delay, and a restart within it (an upgrade) cancels the will.
 * Reports carry the connection's start ({@link #connectedAt}), which makes the will of an earlier connection stale.
 */
public final class MqttLink implements AutoCloseable {

    /** Takes a command for this appliance; returns once it is recorded durably (or known to be no command of ours). */
    @FunctionalInterface
    public interface Commands {
        void accept(CloudEvent command);
    }

    private static final Logger LOG = Logger.getLogger(MqttLink.class);
    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** System property: the will delay in seconds (how long a lost link may take to come back unnoticed). */
    public static final String WILL_DELAY_PROPERTY = "edgefleet.gateway.will-delay-seconds";

    public static final Duration DEFAULT_WILL_DELAY = Duration.ofSeconds(30);
    /** The CloudEvent source of the will (the gateway's, as its reports). */
    private static final String REPORT_SOURCE = "/edgefleet/edge-gateway";

    private final String uid;
    private final TrustManagerFactory trust;
    private final ProxyRoutes proxies;
    private final Commands commands;
    private final SessionMarker marker;
    private final Duration willDelay;
    private final ExecutorService inbound;
    private final Thread thread;
    private final Object lock = new Object();
    /** The identity to connect with; guarded by {@code lock}. */
    private DeviceIdentity wanted;
    /** The connection must move to {@code wanted}; guarded by {@code lock}. */
    private boolean switching;

    private volatile Connection live;
    private volatile boolean running = true;
    private volatile String lastError;
    private volatile Instant connectedAt;

    /** A working connection: subscribed (when commands are taken) and ready to publish. */
    private record Connection(Mqtt5AsyncClient client, DeviceIdentity identity, String reportsTopic) {}

    /** One connection attempt; {@link #lost} ends it. */
    private final class Attempt {
        private boolean over;
        private Throwable cause;

        void lost(Throwable why) {
            synchronized (lock) {
                if (!over) {
                    over = true;
                    cause = why;
                    lock.notifyAll();
                }
            }
        }
    }

    /**
     * @param trust    CAs trusted for the broker's server certificate
     * @param commands where commands go; null for a gateway that only reports (it subscribes to nothing)
     */
    public MqttLink(String uid, Path stateDir, TrustManagerFactory trust, ProxyRoutes proxies, Commands commands) {
        this(uid, stateDir, trust, proxies, commands, configuredWillDelay());
    }

    /** @param willDelay how long the broker waits for a lost connection to come back before it publishes link-lost */
    public MqttLink(
            String uid,
            Path stateDir,
            TrustManagerFactory trust,
            ProxyRoutes proxies,
            Commands commands,
            Duration willDelay) {
        this.uid = uid;
        this.willDelay = willDelay;
        this.trust = trust;
        this.proxies = proxies;
        this.commands = commands;
        this.marker = new SessionMarker(stateDir);
        this.inbound = Executors.newSingleThreadExecutor(r -> daemon(r, "gateway-link-commands-" + uid));
        this.thread = daemon(this::run, "gateway-link-" + uid);
    }

    public MqttLink start() {
        thread.start();
        return this;
    }

    /** Connects with {@code identity}, or moves the connection to it (a renewed or re-enrolled certificate). */
    public void use(DeviceIdentity identity) {
        if (!identity.uid().equals(uid)) {
            throw new IllegalArgumentException("identity " + identity.identity() + " is not appliance '" + uid + "'");
        }
        synchronized (lock) {
            boolean first = wanted == null;
            wanted = identity;
            switching = !first;
            lock.notifyAll();
        }
    }

    /** Connected, and (when it takes commands) subscribed: from now on no command for this appliance can be missed. */
    public boolean ready() {
        return live != null;
    }

    /** The identity of the live connection, else the one it is trying. */
    public Optional<DeviceIdentity> identity() {
        Connection c = live;
        if (c != null) {
            return Optional.of(c.identity());
        }
        synchronized (lock) {
            return Optional.ofNullable(wanted);
        }
    }

    /** When the live connection began (the time its link-lost will carries); null while not connected. */
    public Instant connectedAt() {
        return live == null ? null : connectedAt;
    }

    /** The will delay of {@link #WILL_DELAY_PROPERTY}, else {@link #DEFAULT_WILL_DELAY}. */
    public static Duration configuredWillDelay() {
        String seconds = System.getProperty(WILL_DELAY_PROPERTY);
        return seconds == null || seconds.isBlank() ? DEFAULT_WILL_DELAY : Duration.ofSeconds(Long.parseLong(seconds));
    }

    /**
     * The will a connection carries (shared with the fleet simulator): {@code link-lost} on the appliance's own report
     * topic (the per-device ACL allows no other), QoS 1, the CloudEvent in binary mode like any report, its time the
     * connection's start, published by the broker only {@code willDelay} after an unresumed loss.
     */
    public static Mqtt5WillPublish linkLostWill(String tenant, String uid, Instant connectedAt, Duration willDelay) {
        byte[] payload = EventJson.write(new LinkLost(uid, connectedAt, willDelay.toSeconds()));
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                REPORT_SOURCE,
                EventTypes.GATEWAY_LINK_LOST,
                uid,
                tenant,
                connectedAt,
                payload);
        Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
        MqttCloudEvents.properties(event).forEach(properties::add);
        return Mqtt5WillPublish.builder()
                .topic(EdgeTopics.reports(tenant, uid))
                .qos(MqttQos.AT_LEAST_ONCE)
                .contentType(CloudEvent.JSON)
                .userProperties(properties.build())
                .payload(payload)
                .delayInterval(willDelay.toSeconds())
                .build()
                .asWill();
    }

    /** Why the last connection attempt failed or the connection was lost; null while connected. */
    public String lastError() {
        return lastError;
    }

    /**
     * Publishes a report (QoS 1) on this appliance's report topic and waits for the broker's PUBACK.
     *
     * @throws LinkDownException       not connected, connection lost, no PUBACK in time, or no subscriber took the report
     *                                 (0x10: the bridge is not subscribed): try again later
     * @throws PublishRefusedException the broker answered with an error reason code: it did not take the message
     * @throws UnsendableException     the message can never be sent (too large for the broker)
     */
    public void publish(CloudEvent event, Duration timeout)
            throws LinkDownException, PublishRefusedException, UnsendableException {
        Connection c = live;
        if (c == null) {
            throw new LinkDownException(
                    "not connected to the broker" + (lastError == null ? "" : " (" + lastError + ")"), null);
        }
        Mqtt5Publish message = reportMessage(c.reportsTopic(), event);
        try {
            Mqtt5PublishResult result = c.client().publish(message).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (result.getError().isPresent()) {
                throw failure(result.getError().get(), c);
            }
            if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1) {
                Mqtt5PubAckReasonCode code = qos1.getPubAck().getReasonCode();
                if (code.isError()) {
                    throw refused(code, c);
                }
                // a success code, but nobody took it: the bridge has no subscription (yet, e.g. right after a broker
                // restart), so the broker dropped the report. It stays in the outbox until the bridge is there.
                if (code == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS) {
                    throw new LinkDownException(
                            "the broker has no subscriber for reports yet (the edge bridge is not subscribed)", null);
                }
            }
        } catch (ExecutionException e) {
            throw failure(e.getCause(), c);
        } catch (TimeoutException e) {
            throw new LinkDownException("no PUBACK from the broker within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkDownException("interrupted", e);
        }
    }

    /**
     * A report as the edge link carries it (docs/edge-link.md): QoS 1, the CloudEvent in the MQTT 5 binary mode
     * (attributes as user properties, content type, JSON data as payload). Shared with the fleet simulator.
     */
    public static Mqtt5Publish reportMessage(String reportsTopic, CloudEvent event) {
        Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
        MqttCloudEvents.properties(event).forEach(properties::add);
        return Mqtt5Publish.builder()
                .topic(reportsTopic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .contentType(CloudEvent.JSON)
                .userProperties(properties.build())
                .payload(event.data())
                .build();
    }

    /**
     * The CloudEvent a command message carries (for a user property given more than once the last one counts).
     * Shared with the fleet simulator.
     *
     * @throws InvalidEventException when it is not a well-formed CloudEvent
     */
    public static CloudEvent commandEvent(Mqtt5Publish message) {
        Map<String, String> properties = new LinkedHashMap<>();
        message.getUserProperties()
                .asList()
                .forEach(
                        p -> properties.put(p.getName().toString(), p.getValue().toString()));
        return MqttCloudEvents.fromProperties(
                properties, message.getContentType().map(Object::toString).orElse(null), message.getPayloadAsBytes());
    }

    private LinkDownException failure(Throwable error, Connection c)
            throws PublishRefusedException, UnsendableException {
        if (error instanceof Mqtt5PubAckException refusal) {
            throw refused(refusal.getMqttMessage().getReasonCode(), c);
        }
        if (error instanceof MqttEncodeException) {
            throw new UnsendableException("the broker cannot take this message: " + error.getMessage(), error);
        }
        return new LinkDownException(describe(error), error);
    }

    private static PublishRefusedException refused(Mqtt5PubAckReasonCode code, Connection c) {
        return new PublishRefusedException(
                code.getCode(),
                "the broker refused the report on " + c.reportsTopic() + ": " + code
                        + String.format(" (0x%02X)", code.getCode()));
    }

    private void run() {
        int failures = 0; // connection attempts in a row that did not hold
        while (running) {
            DeviceIdentity identity = awaitIdentity();
            if (identity == null) {
                return;
            }
            Attempt attempt = new Attempt();
            Mqtt5AsyncClient client = null;
            try {
                client = client(identity, attempt);
                connect(client, identity);
                failures = 0;
                awaitEnd(attempt);
                if (attempt.cause != null && running) {
                    note("connection to " + identity.mqttUrl() + " lost: " + describe(attempt.cause));
                }
            } catch (ExecutionException e) {
                note("cannot connect to " + identity.mqttUrl() + " as " + identity.identity() + ": "
                        + describe(e.getCause()));
            } catch (TimeoutException e) {
                note("no answer from " + identity.mqttUrl() + " within " + TIMEOUT.toSeconds() + " s");
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                note("cannot connect to " + identity.mqttUrl() + " as " + identity.identity() + ": " + describe(e));
            } finally {
                live = null;
                if (client != null) {
                    // closing: the broker keeps the will (delayed); moving to another identity: a plain DISCONNECT
                    disconnect(client, !running);
                }
            }
            if (running && !switchPending()) {
                pause(ReconnectBackoff.pauseMillis(failures++)); // not every site at once
            }
        }
    }

    private void connect(Mqtt5AsyncClient client, DeviceIdentity identity)
            throws ExecutionException, TimeoutException, InterruptedException {
        boolean cleanStart = !marker.started(identity.enrolmentId());
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Mqtt5ConnAck connAck = client.connectWith()
                .cleanStart(cleanStart)
                .sessionExpiryInterval(EdgeTopics.SESSION_NEVER_EXPIRES)
                .keepAlive(KEEP_ALIVE_SECONDS)
                .willPublish(linkLostWill(identity.tenant(), identity.uid(), started, willDelay))
                .send()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        String session = cleanStart
                ? "new session (first connection of this enrolment)"
                : connAck.isSessionPresent() ? "session resumed" : "session expired: a new one";
        if (commands != null && !connAck.isSessionPresent()) {
            String topic = EdgeTopics.commands(identity.tenant(), identity.uid());
            Mqtt5SubAck subAck = client.subscribeWith()
                    .topicFilter(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Mqtt5SubAckReasonCode granted = subAck.getReasonCodes().get(0);
            if (granted.isError()) {
                throw new IllegalStateException("the broker refused the subscription to " + topic + ": " + granted);
            }
            session += ", subscribed to " + topic;
        }
        marker.markStarted(identity.enrolmentId()); // only now: a crash before this point starts clean again
        connectedAt = started;
        live = new Connection(client, identity, EdgeTopics.reports(identity.tenant(), identity.uid()));
        lastError = null;
        LOG.infof(
                "connected to %s as %s, certificate %s (%s)",
                identity.mqttUrl(), identity.identity(), identity.serial(), session);
    }

    private Mqtt5AsyncClient client(DeviceIdentity identity, Attempt attempt) {
        MqttEndpoint endpoint = MqttEndpoint.parse(identity.mqttUrl());
        var transport = MqttClientTransportConfig.builder()
                .serverHost(endpoint.host())
                .serverPort(endpoint.port())
                .sslConfig(MqttClientSslConfig.builder()
                        .keyManagerFactory(TlsMaterial.keyManagers(identity))
                        .trustManagerFactory(trust)
                        .handshakeTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                        .build())
                .socketConnectTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .mqttConnectTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Optional<InetSocketAddress> proxy = proxies.forTls(endpoint.host());
        // through the proxy as an HTTP CONNECT tunnel: the proxy sees only TLS
        proxy.ifPresent(address -> transport.proxyConfig(MqttProxyConfig.builder()
                .protocol(MqttProxyProtocol.HTTP)
                .host(address.getHostString())
                .port(address.getPort())
                .handshakeTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .build()));
        Mqtt5AsyncClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(identity.identity())
                .transportConfig(transport.build())
                .addDisconnectedListener(context -> attempt.lost(context.getCause()))
                .buildAsync();
        if (commands != null) {
            // registered before connecting: a resumed session delivers at once; one thread keeps the order
            client.publishes(
                    MqttGlobalPublishFilter.ALL, message -> onMessage(message, identity, attempt), inbound, true);
        }
        return client;
    }

    private void onMessage(Mqtt5Publish message, DeviceIdentity identity, Attempt attempt) {
        String topic = message.getTopic().toString();
        if (!topic.equals(EdgeTopics.commands(identity.tenant(), identity.uid()))) {
            LOG.warnf("ignoring a message on %s", topic);
            acknowledge(message);
            return;
        }
        CloudEvent command;
        try {
            command = commandEvent(message);
        } catch (InvalidEventException e) {
            LOG.warnf("ignoring a malformed command on %s: %s", topic, e.getMessage());
            acknowledge(message);
            return;
        }
        if (!identity.uid().equals(command.subject()) || !identity.tenant().equals(command.tenant())) {
            LOG.warnf(
                    "ignoring command %s (%s): it is for %s/%s, not %s",
                    command.id(), command.type(), command.tenant(), command.subject(), identity.identity());
            acknowledge(message);
            return;
        }
        try {
            commands.accept(command);
        } catch (RuntimeException e) {
            // not acknowledged: after a reconnect the broker sends it again
            LOG.errorf(
                    "could not record command %s (%s), reconnecting to receive it again: %s",
                    command.id(), command.type(), e.getMessage());
            attempt.lost(e);
            return;
        }
        acknowledge(message);
    }

    private static void acknowledge(Mqtt5Publish message) {
        try {
            message.acknowledge();
        } catch (RuntimeException e) {
            LOG.debugf("acknowledgement not sent: %s", e.getMessage()); // connection gone: the broker sends it again
        }
    }

    private DeviceIdentity awaitIdentity() {
        synchronized (lock) {
            while (running && wanted == null) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    return null;
                }
            }
            switching = false;
            return running ? wanted : null;
        }
    }

    /** Until the connection is lost, the identity changes, or the link closes. */
    private void awaitEnd(Attempt attempt) throws InterruptedException {
        synchronized (lock) {
            while (running && !attempt.over && !switching) {
                lock.wait();
            }
        }
    }

    private boolean switchPending() {
        synchronized (lock) {
            return switching;
        }
    }

    private void pause(long millis) {
        synchronized (lock) {
            if (running && !switching && millis > 0) {
                try {
                    lock.wait(millis);
                } catch (InterruptedException e) {
                    running = false;
                }
            }
        }
    }

    /**
     * A graceful DISCONNECT: the broker keeps the session (it never expires). {@code withWill}: reason 0x04, so the broker
     * still publishes the link-lost will once the will delay passed without the session being resumed.
     */
    private static void disconnect(Mqtt5AsyncClient client, boolean withWill) {
        if (client.getState().isConnected()) {
            try {
                client.disconnectWith()
                        .reasonCode(
                                withWill
                                        ? Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE
                                        : Mqtt5DisconnectReasonCode.NORMAL_DISCONNECTION)
                        .send()
                        .get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf("disconnect: %s", e.getMessage());
            }
        }
    }

    /** Logs a connection problem once (the same one again only at debug: a retry loop must not flood the log). */
    private void note(String problem) {
        if (!problem.equals(lastError)) {
            LOG.warnf("%s; reconnecting", problem);
        } else {
            LOG.debugf("%s; reconnecting", problem);
        }
        lastError = problem;
    }

    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        Throwable t = error;
        for (int depth = 0; t != null && depth < 4; depth++, t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.length() == 0 ? String.valueOf(error) : error.getClass().getSimpleName() + ": " + text;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread t = new Thread(runnable, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inbound.shutdown();
    }
}
