package io.edgefleet.fleetsim;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientReconnector;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5WillPublish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.identity.TlsMaterial;
import io.edgefleet.gateway.link.MqttLink;
import io.edgefleet.gateway.link.ReconnectBackoff;
import io.edgefleet.gateway.reports.ReportSender;
import io.edgefleet.gateway.tasks.NodeTasks;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One simulated appliance: its own certificate and MQTT 5/TLS connection (client id = identity, a session that never
 * expires, QoS 1 both ways, as the gateway's {@link MqttLink}), but no thread of its own — its connection runs on the
 * fleet's shared event loops and its timers on the fleet's scheduler. It sends a registration once its command
 * subscription is in place, then heartbeats every interval ± jitter; it answers node commands and policy tasks with
 * progress and, after the simulated run time, a result (node commands as {@code RecordingNodeDriver} answers them: the
 * node RUNNING, STOPPED or DELETED; tasks SUCCEEDED without output). A repeated command is answered with its recorded
 * result or with progress, as the gateway does. After a lost connection it reconnects like the gateway
 * ({@link ReconnectBackoff}: a pause drawn below 1 s, doubling to 30 s).
 */
final class SimulatedAppliance {

    private static final Logger LOG = Logger.getLogger(SimulatedAppliance.class);
    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final Duration WILL_DELAY = MqttLink.configuredWillDelay();
    private static final long TIMEOUT_SECONDS = 20;
    private static final int REMEMBERED_RESULTS = 32;
    static final String VERSION = EdgeGateway.VERSION + "+fleet-sim";

    private final SimIdentity id;
    private final Fleet fleet;
    private final InetAddress source;
    private final String reportsTopic;
    private final String commandsTopic;
    private final GatewayReport report;
    /** When the current (or last) connection attempt began: the time of its link-lost will and of its reports. */
    private volatile Instant connectedAt;

    private Mqtt5AsyncClient client;
    /** Whether it should be connected (false after a drop). */
    private volatile boolean wanted;
    /** Connected and subscribed. */
    private final AtomicBoolean live = new AtomicBoolean();

    private volatile boolean sessionStarted;
    private volatile boolean registered;
    private volatile boolean heartbeatWaiting;
    private volatile long connectStartedNanos;
    /** Lost its connection (not dropped on purpose) and not connected again yet. */
    private volatile boolean reconnecting;

    private volatile Runnable connectDone;

    /** Finished commands' results (JSON), for repeats; guarded by {@code this}. */
    private final Map<String, byte[]> results = new LinkedHashMap<>(4, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > REMEMBERED_RESULTS;
        }
    };
    /** Commands under way; guarded by {@code this}. */
    private final Set<String> running = new HashSet<>(2);
    /** Results not yet acknowledged by the broker (sent again on the next connection); guarded by {@code this}. */
    private final List<byte[]> unsentResults = new ArrayList<>(1);

    SimulatedAppliance(SimIdentity id, Fleet fleet, InetAddress source, int index) {
        this.id = id;
        this.fleet = fleet;
        this.source = source;
        this.reportsTopic = EdgeTopics.reports(id.tenant(), id.uid());
        this.commandsTopic = EdgeTopics.commands(id.tenant(), id.uid());
        this.report = new GatewayReport(
                id.uid(),
                ApplianceKind.VM,
                new Inventory(
                        id.uid(),
                        "10." + (index >> 16 & 0xff) + "." + (index >> 8 & 0xff) + "." + (index & 0xff),
                        8,
                        32L << 30,
                        List.of(new Inventory.Disk("sda", 512L << 30)),
                        null,
                        new Inventory.Docker(true, "simulated")),
                VERSION,
                "online",
                "192.168.0.0/16",
                "10.96.0.0/12",
                ProxySettings.NONE);
    }

    String uid() {
        return id.uid();
    }

    boolean live() {
        return live.get();
    }

    boolean wanted() {
        return wanted;
    }

    /**
     * Connects (the first connection of the run with a clean start: nothing queued for an earlier run is replayed;
     * later ones resume the session). {@code done} runs once, when connected or when the attempt failed.
     */
    void connect(Runnable done) {
        wanted = true;
        connectDone = done;
        connectStartedNanos = System.nanoTime();
        if (client == null) {
            client = build();
        }
        client.connectWith()
                .cleanStart(!sessionStarted)
                .sessionExpiryInterval(EdgeTopics.SESSION_NEVER_EXPIRES)
                .keepAlive(KEEP_ALIVE_SECONDS)
                .willPublish(linkLostWill())
                .send()
                .whenComplete((ack, error) -> {
                    if (error != null) {
                        LOG.debugf("%s: connect failed: %s", id.uid(), error.toString());
                        connectFinished();
                    }
                });
    }

    /**
     * A graceful DISCONNECT: the broker keeps the session (and queues commands for it) and discards the will, so a
     * dropped appliance turns UNREACHABLE only by silence.
     */
    CompletableFuture<Void> drop() {
        return disconnect(Mqtt5DisconnectReasonCode.NORMAL_DISCONNECTION);
    }

    /**
     * A gateway's shutdown (the simulator stopping): DISCONNECT with reason 0x04, so the broker still publishes the
     * link-lost will after the will delay unless the same appliance connects again within it.
     */
    CompletableFuture<Void> stop() {
        return disconnect(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE);
    }

    private CompletableFuture<Void> disconnect(Mqtt5DisconnectReasonCode reason) {
        wanted = false;
        Mqtt5AsyncClient c = client;
        if (c == null || !c.getState().isConnectedOrReconnect()) {
            return CompletableFuture.completedFuture(null);
        }
        fleet.stats().drops.increment();
        return c.disconnectWith().reasonCode(reason).send().exceptionally(e -> null);
    }

    private void connectFinished() {
        Runnable done = connectDone;
        connectDone = null;
        if (done != null) {
            done.run();
        }
    }

    private Mqtt5AsyncClient build() {
        URI url =
                URI.create(fleet.settings().mqttUrl() != null ? fleet.settings().mqttUrl() : id.mqttUrl());
        MqttClientTransportConfigBuilder transport = MqttClientTransportConfig.builder()
                .serverHost(url.getHost())
                .serverPort(url.getPort() > 0 ? url.getPort() : 8883)
                .sslConfig(MqttClientSslConfig.builder()
                        .keyManagerFactory(TlsMaterial.keyManagers(id.deviceIdentity()))
                        .trustManagerFactory(fleet.settings().trust())
                        .handshakeTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .build())
                .socketConnectTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .mqttConnectTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (source != null) {
            transport.localAddress(new InetSocketAddress(source, 0));
        }
        Mqtt5AsyncClient c = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id.identity())
                .transportConfig(transport.build())
                .executorConfig(fleet.executorConfig())
                .addConnectedListener(context -> onConnected((Mqtt5ClientConnectedContext) context))
                .addDisconnectedListener(this::onDisconnected)
                .buildAsync();
        // before connecting: a resumed session delivers queued commands at once
        c.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onCommand);
        return c;
    }

    private void onConnected(Mqtt5ClientConnectedContext context) {
        sessionStarted = true;
        if (context.getConnAck().isSessionPresent()) {
            ready();
            return;
        }
        client.subscribeWith()
                .topicFilter(commandsTopic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .whenComplete((subAck, error) -> {
                    if (error != null || subAck.getReasonCodes().get(0).isError()) {
                        LOG.warnf(
                                "%s: subscription to %s refused: %s",
                                id.uid(), commandsTopic, error != null ? error : subAck.getReasonCodes());
                        connectFinished();
                        return; // the disconnect (or the next reconnect) tries again
                    }
                    ready();
                });
    }

    private void ready() {
        if (live.compareAndSet(false, true)) {
            FleetStats stats = fleet.stats();
            int now = stats.connected.incrementAndGet();
            stats.connects.increment();
            long nanos = System.nanoTime();
            stats.connectTime.record((nanos - connectStartedNanos) / 1_000_000);
            if (reconnecting) {
                reconnecting = false;
                stats.reconnectTime.record((nanos - connectStartedNanos) / 1_000_000);
            }
            stats.connectedNow(now, fleet.size(), nanos);
        }
        connectFinished();
        if (!registered) {
            registered = true;
            publishReport(EventTypes.GATEWAY_REGISTERED);
            // the first heartbeat anywhere in the first interval: a fleet that connects at once still reports evenly
            long interval = fleet.settings().heartbeatInterval().toMillis();
            fleet.schedule(this::heartbeat, ThreadLocalRandom.current().nextLong(interval));
        } else {
            // a new connection reports at once, as the gateway does (its link-lost will may have fired meanwhile)
            heartbeatWaiting = false;
            publishReport(EventTypes.GATEWAY_HEARTBEAT);
        }
        List<byte[]> again;
        synchronized (this) {
            again = new ArrayList<>(unsentResults);
            unsentResults.clear();
        }
        again.forEach(this::publishResult);
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        boolean wasLive = live.compareAndSet(true, false);
        if (wasLive) {
            fleet.stats().connected.decrementAndGet();
        }
        if (context.getSource() == MqttDisconnectSource.USER || !wanted || !fleet.running()) {
            connectFinished();
            return;
        }
        if (wasLive) {
            fleet.stats().connectionsLost.increment();
            connectStartedNanos = System.nanoTime();
            reconnecting = true;
            fleet.stats().lost(connectStartedNanos);
        }
        Mqtt5ClientReconnector reconnector = (Mqtt5ClientReconnector) context.getReconnector();
        int attempt = reconnector.getAttempts();
        reconnector
                .reconnect(true)
                .resubscribeIfSessionPresent(false)
                .resubscribeIfSessionExpired(false) // onConnected subscribes when the session is new
                .delay(ReconnectBackoff.pauseMillis(attempt), TimeUnit.MILLISECONDS)
                .connectWith()
                .cleanStart(!sessionStarted)
                .sessionExpiryInterval(EdgeTopics.SESSION_NEVER_EXPIRES)
                .keepAlive(KEEP_ALIVE_SECONDS)
                .willPublish(linkLostWill())
                .applyConnect();
    }

    /** As the gateway's (MqttLink): link-lost, published by the broker only after an unresumed loss. */
    private Mqtt5WillPublish linkLostWill() {
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        connectedAt = started;
        return MqttLink.linkLostWill(id.tenant(), id.uid(), started, WILL_DELAY);
    }

    private void heartbeat() {
        if (!fleet.running()) {
            return;
        }
        if (live.get()) {
            publishReport(EventTypes.GATEWAY_HEARTBEAT);
        } else if (wanted || !registered) {
            fleet.stats().heartbeatsWhileOffline.increment();
            heartbeatWaiting = true; // as the gateway's outbox keeps one heartbeat waiting
        }
        long interval = fleet.settings().heartbeatInterval().toMillis();
        long jitter = fleet.settings().jitter().toMillis();
        long next = interval + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1));
        fleet.schedule(this::heartbeat, next);
    }

    private void publishReport(String type) {
        FleetStats stats = fleet.stats();
        stats.reportsPublished.increment();
        long started = System.nanoTime();
        publish(type, EventJson.write(report.onConnection(connectedAt))).whenComplete((result, error) -> {
            Outcome outcome = outcome(result, error);
            switch (outcome) {
                case ACKED -> {
                    stats.reportsAcked.increment();
                    if (EventTypes.GATEWAY_REGISTERED.equals(type)) {
                        stats.registrationsAcked.increment();
                    }
                    stats.pubAck.record((System.nanoTime() - started) / 1_000_000);
                }
                case NO_SUBSCRIBER -> stats.reportsNoSubscriber.increment();
                case REFUSED -> stats.reportsRefused.increment();
                case FAILED -> stats.reportsFailed.increment();
            }
            if (outcome != Outcome.ACKED && EventTypes.GATEWAY_REGISTERED.equals(type)) {
                registered = false; // the registration goes again with the next connection (as the outbox keeps it)
            }
        });
    }

    private enum Outcome {
        ACKED,
        NO_SUBSCRIBER,
        REFUSED,
        FAILED
    }

    private static Outcome outcome(Mqtt5PublishResult result, Throwable error) {
        if (error != null || result == null || result.getError().isPresent()) {
            return Outcome.FAILED;
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1) {
            Mqtt5PubAckReasonCode code = qos1.getPubAck().getReasonCode();
            if (code.isError()) {
                return Outcome.REFUSED;
            }
            if (code == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS) {
                return Outcome.NO_SUBSCRIBER;
            }
        }
        return Outcome.ACKED;
    }

    private CompletableFuture<Mqtt5PublishResult> publish(String type, byte[] json) {
        Mqtt5AsyncClient c = client;
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("never connected"));
        }
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(), ReportSender.SOURCE, type, id.uid(), id.tenant(), Instant.now(), json);
        return c.publish(MqttLink.reportMessage(reportsTopic, event));
    }

    // ---- commands ----

    private record Addressed(String commandId, String clusterId, String nodeId, String poolName) {}

    void onCommand(Mqtt5Publish message) {
        if (!commandsTopic.equals(message.getTopic().toString())) {
            return;
        }
        Instant received = fleet.commandTimes() == null ? null : Instant.now();
        CloudEvent command;
        Addressed to;
        try {
            command = MqttLink.commandEvent(message);
            if (!id.uid().equals(command.subject()) || !id.tenant().equals(command.tenant())) {
                LOG.warnf(
                        "%s: ignoring command %s for %s/%s",
                        id.uid(), command.id(), command.tenant(), command.subject());
                return;
            }
            if (NodeTasks.TYPES.contains(command.type())) {
                NodeTask t = command.dataAs(NodeTask.class);
                to = new Addressed(t.commandId(), t.clusterId(), t.nodeId(), null);
            } else {
                NodeCommand c = command.dataAs(NodeCommand.class);
                to = new Addressed(
                        c.commandId(),
                        c.clusterId(),
                        c.nodeId(),
                        c.spec() == null ? null : c.spec().poolName());
            }
            if (to.commandId() == null || to.commandId().isBlank()) {
                throw new InvalidEventException("command without commandId");
            }
        } catch (RuntimeException e) {
            LOG.warnf("%s: ignoring a malformed command: %s", id.uid(), e.getMessage());
            return;
        }
        FleetStats stats = fleet.stats();
        stats.commandsReceived.increment();
        byte[] done;
        boolean underWay;
        synchronized (this) {
            done = results.get(to.commandId());
            underWay = done == null && !running.add(to.commandId());
        }
        if (done != null) {
            stats.commandsRepeated.increment();
            publishResult(done);
        } else if (underWay) {
            stats.commandsRepeated.increment();
            progress(to, command.type(), "running", "still running on the simulated gateway");
        } else {
            progress(to, command.type(), "started", "running on the simulated gateway");
            fleet.schedule(
                    () -> finish(to, command.type(), received),
                    fleet.settings().commandDelay().toMillis());
        }
    }

    /** @param received when the command arrived, or null when its times are not recorded */
    private void finish(Addressed to, String type, Instant received) {
        NodeStatus node = node(to, type);
        CommandResult result = new CommandResult(
                to.commandId(),
                type,
                to.clusterId(),
                to.nodeId(),
                CommandResult.Outcome.SUCCEEDED,
                "simulated",
                node,
                Instant.now());
        byte[] json = EventJson.write(result);
        synchronized (this) {
            results.put(to.commandId(), json);
            running.remove(to.commandId());
        }
        CommandTimes times = fleet.commandTimes();
        if (times != null && received != null) {
            times.answered(to.commandId(), new CommandTimes.Held(id.uid(), type, received, Instant.now()));
        }
        publishResult(json);
    }

    private NodeStatus node(Addressed to, String type) {
        NodeState state = switch (type) {
            case EventTypes.CREATE_NODE, EventTypes.START_NODE -> NodeState.RUNNING;
            case EventTypes.STOP_NODE -> NodeState.STOPPED;
            case EventTypes.DELETE_NODE -> NodeState.DELETED;
            default -> null; // cleanup and policy tasks: no node in the result
        };
        if (state == null) {
            return null;
        }
        return new NodeStatus(
                to.clusterId(),
                to.poolName(),
                to.nodeId(),
                state,
                state == NodeState.DELETED ? null : "simulated-" + to.nodeId(),
                null,
                to.commandId(),
                "simulated",
                Instant.now());
    }

    private void publishResult(byte[] json) {
        FleetStats stats = fleet.stats();
        publish(EventTypes.COMMAND_COMPLETED, json).whenComplete((result, error) -> {
            if (outcome(result, error) == Outcome.ACKED) {
                stats.resultsAcked.increment();
            } else {
                stats.resultsFailed.increment();
                synchronized (this) {
                    unsentResults.add(json); // sent again on the next connection
                }
            }
        });
    }

    private void progress(Addressed to, String type, String step, String message) {
        byte[] json = EventJson.write(
                new CommandProgress(to.commandId(), type, to.clusterId(), to.nodeId(), step, message, Instant.now()));
        publish(EventTypes.COMMAND_PROGRESS, json).whenComplete((result, error) -> {
            if (outcome(result, error) == Outcome.ACKED) {
                fleet.stats().progressAcked.increment();
            }
        });
    }
}
