package io.edgefleet.bridge.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.edgefleet.bridge.BridgeConfig;
import io.edgefleet.bridge.link.BrokerClients;
import io.edgefleet.events.EdgeTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The bridge's one MQTT 5 connection to the platform listener: a persistent session under a stable client id (clean
 * start off, session expiry), so the broker keeps the shared report subscription and queues reports while the bridge
 * is away. Reconnects forever with back-off and subscribes on every connection: not only when the session is new
 * (first start, session expired, broker state lost) but also when it was resumed, because Mosquitto 2.0.11 restores a
 * persisted session without its shared subscriptions (verified: after a restart the session is "present" yet gets no
 * reports). Subscribing again to an existing subscription just replaces it.
 * <p>
 * It also reads the broker's connected-client count ({@link BrokerClients#TOPIC}, QoS 0, not queued): the link status
 * carries it, so appliance-service can tell a fleet still reconnecting after a broker restart.
 */
@ApplicationScoped
public class MqttConnection {

    private static final Logger LOG = Logger.getLogger(MqttConnection.class);

    @Inject
    BridgeConfig config;

    @Inject
    MeterRegistry metrics;

    private volatile Mqtt5AsyncClient client;
    private volatile boolean subscribed;
    private volatile String lastProblem;
    private Runnable onConnectionLost = () -> {};
    private volatile Runnable onLinkChange = () -> {};
    private volatile IntConsumer onBrokerClients = count -> {};
    private volatile boolean clientCountRefusalLogged;
    /** Linked = connected and subscribed to the reports; since when the bridge is (not) linked. */
    private volatile Link link = new Link(false, Instant.now());

    private Counter disconnects;

    /**
     * Starts connecting. Every incoming PUBLISH goes to {@code onPublish} on {@code executor} and is acknowledged only
     * when the callee calls {@link Mqtt5Publish#acknowledge()}; {@code onConnectionLost} runs when the connection drops
     * (the broker will deliver what was not acknowledged again).
     */
    public void start(Consumer<Mqtt5Publish> onPublish, Executor executor, Runnable onConnectionLost) {
        this.onConnectionLost = onConnectionLost;
        Gauge.builder("edgefleet.bridge.mqtt.ready", () -> ready() ? 1 : 0)
                .description("1 while the bridge is connected to the edge broker and subscribed to the reports")
                .register(metrics);
        disconnects = Counter.builder("edgefleet.bridge.mqtt.disconnects")
                .description("Times the connection to the edge broker dropped (a link that flaps relays little)")
                .register(metrics);
        BridgeConfig.Mqtt mqtt = config.mqtt();
        Mqtt5AsyncClient c = new PlatformListener(mqtt)
                .client(mqtt.clientId())
                .automaticReconnect()
                .initialDelay(500, TimeUnit.MILLISECONDS)
                .maxDelay(5, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(this::connected)
                .addDisconnectedListener(this::disconnected)
                .buildAsync();
        client = c;
        // before connecting: a resumed session delivers its queued reports right after CONNACK, before any SUBSCRIBE
        c.publishes(MqttGlobalPublishFilter.ALL, publish -> routed(publish, onPublish), executor, true);
        c.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(EdgeTopics.SESSION_NEVER_EXPIRES)
                .keepAlive((int) mqtt.keepAlive().toSeconds())
                .restrictions()
                .receiveMaximum(mqtt.receiveMaximum())
                .applyRestrictions()
                .send()
                .whenComplete((ack, e) -> {
                    if (e != null) {
                        LOG.warnf("MQTT: cannot connect to %s yet (retrying): %s", mqtt.url(), e.getMessage());
                    }
                });
    }

    private void connected(MqttClientConnectedContext context) {
        boolean sessionPresent =
                ((Mqtt5ClientConnectedContext) context).getConnAck().isSessionPresent();
        LOG.infof(
                "MQTT: connected to %s as %s (session %s)",
                config.mqtt().url(), config.mqtt().clientId(), sessionPresent ? "resumed" : "new");
        lastProblem = null;
        subscribe();
        subscribeToClientCount();
    }

    /** The broker's client count is not a report: it goes to {@link #onBrokerClients}, never to the report relay. */
    private void routed(Mqtt5Publish publish, Consumer<Mqtt5Publish> onPublish) {
        if (!BrokerClients.TOPIC.equals(publish.getTopic().toString())) {
            onPublish.accept(publish);
            return;
        }
        publish.acknowledge();
        Integer count = BrokerClients.parse(publish.getPayloadAsBytes());
        if (count != null) {
            onBrokerClients.accept(count);
        }
    }

    private void subscribeToClientCount() {
        client.subscribeWith()
                .topicFilter(BrokerClients.TOPIC)
                .qos(MqttQos.AT_MOST_ONCE)
                .send()
                .whenComplete((subAck, e) -> {
                    boolean refused =
                            e == null && subAck.getReasonCodes().stream().anyMatch(code -> code.isError());
                    if (refused && !clientCountRefusalLogged) { // once, not at every reconnection
                        clientCountRefusalLogged = true;
                        LOG.warnf(
                                "MQTT: the broker refused %s (%s): the link status carries no client count, so the"
                                        + " platform cannot tell a fleet still reconnecting after a broker restart"
                                        + " (platform ACL: topic read %s)",
                                BrokerClients.TOPIC, subAck.getReasonCodes(), BrokerClients.TOPIC);
                    }
                });
    }

    private void subscribe() {
        subscribed = false;
        client.subscribeWith()
                .topicFilter(EdgeTopics.SHARED_REPORTS)
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .whenComplete((subAck, e) -> {
                    if (e != null) {
                        LOG.warnf(
                                "MQTT: subscribing to %s failed (again on the next connection): %s",
                                EdgeTopics.SHARED_REPORTS, e.getMessage());
                    } else if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                        lastProblem = "subscription refused: " + subAck.getReasonCodes();
                        LOG.errorf(
                                "MQTT: the broker refused the subscription to %s: %s (check the platform listener's ACL)",
                                EdgeTopics.SHARED_REPORTS, subAck.getReasonCodes());
                    } else {
                        subscribed = true;
                        LOG.infof("MQTT: subscribed to %s", EdgeTopics.SHARED_REPORTS);
                        linked(true);
                    }
                });
    }

    private void disconnected(MqttClientDisconnectedContext context) {
        // subscriptions are this class's business (connected()), not the reconnector's
        context.getReconnector().resubscribeIfSessionExpired(false);
        String problem = context.getCause().getClass().getSimpleName() + ": "
                + context.getCause().getMessage();
        if (!problem.equals(lastProblem)) { // each distinct failure once, not every retry
            LOG.warnf(
                    "MQTT: not connected to %s (%s)%s",
                    config.mqtt().url(), problem, context.getReconnector().isReconnect() ? ", reconnecting" : "");
        }
        lastProblem = problem;
        if (disconnects != null) {
            disconnects.increment();
        }
        linked(false);
        onConnectionLost.run();
    }

    /** Whether the bridge is linked (connected and subscribed) and since when: its link status (link/LinkReporter). */
    public record Link(boolean linked, Instant since) {}

    public Link link() {
        return link;
    }

    /** Runs {@code listener} with each connected-client count the broker publishes (on the report executor). */
    public void onBrokerClients(IntConsumer listener) {
        this.onBrokerClients = listener;
    }

    /** Runs {@code listener} whenever {@link #link()} changes (on the MQTT client's thread: hand work off). */
    public void onLinkChange(Runnable listener) {
        this.onLinkChange = listener;
    }

    private void linked(boolean linked) {
        synchronized (this) {
            if (link.linked() == linked) {
                return; // a failed reconnection attempt is no change
            }
            link = new Link(linked, Instant.now());
        }
        onLinkChange.run();
    }

    /** Publishes; the future completes with the PUBACK (or fails when the session ends before it). */
    public CompletableFuture<Mqtt5PublishResult> publish(Mqtt5Publish publish) {
        return client.publish(publish);
    }

    public boolean connected() {
        Mqtt5AsyncClient c = client;
        return c != null && c.getState().isConnected();
    }

    /** Connected, and the broker confirmed the report subscription. */
    public boolean ready() {
        return connected() && subscribed;
    }

    /** Null while connected; otherwise why not. */
    public String lastProblem() {
        return lastProblem;
    }

    /** Disconnects; the session (subscription, unacknowledged reports) stays with the broker for the next start. */
    public void stop() {
        Mqtt5AsyncClient c = client;
        if (c == null) {
            return;
        }
        try {
            c.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("MQTT: disconnect: %s", e.getMessage());
        }
    }
}
