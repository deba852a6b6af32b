package io.edgefleet.bridge.link;

import io.edgefleet.bridge.BridgeConfig;
import io.edgefleet.bridge.kafka.KafkaClients;
import io.edgefleet.bridge.mqtt.MqttConnection;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.BridgeLink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Tells the platform whether this bridge is linked to the edge broker ({@code edgefleet.bridge.link.v1} on
 * {@code gateway-reports}, key = client id) every {@code bridge.link.report-interval} and at each change: when the
 * broker restarts or the bridge is away, every appliance's reports stop at once, and appliance-service must know that
 * the platform, not the sites, is blind. It carries the broker's connected-client count ({@link BrokerClients}): after
 * a broker restart the fleet reconnects for minutes, and the platform holds its sweep while the count still rises.
 * Best effort: a status Kafka does not take is not sent again (the next one
 * follows within the interval); appliance-service keeps the newest by {@code sentAt}.
 */
@ApplicationScoped
public class LinkReporter {

    static final String SOURCE = "/edgefleet/edge-bridge";
    private static final Logger LOG = Logger.getLogger(LinkReporter.class);

    @Inject
    BridgeConfig config;

    @Inject
    KafkaClients kafka;

    @Inject
    MqttConnection mqtt;

    private ScheduledThreadPoolExecutor worker;
    private KafkaProducer<String, byte[]> producer;
    private volatile String lastFailure;
    private final BrokerClients clients = new BrokerClients();

    public void start() {
        worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "link-reporter");
            t.setDaemon(true);
            return t;
        });
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        producer = kafka.producer("edge-bridge-link-" + config.mqtt().clientId());
        mqtt.onBrokerClients(count -> clients.seen(count, Instant.now()));
        mqtt.onLinkChange(() -> {
            if (!mqtt.link().linked()) {
                clients.connectionLost(); // the next connection's counts start afresh
            }
            try {
                worker.execute(this::report);
            } catch (RejectedExecutionException stopping) {
                // stop() sends the last status itself
            }
        });
        long every = config.link().reportInterval().toMillis();
        worker.scheduleWithFixedDelay(this::report, 0, every, TimeUnit.MILLISECONDS);
    }

    /** The current status, sent (on the worker thread; a send blocks at most max.block.ms while Kafka is away). */
    private void report() {
        send(mqtt.link(), false);
    }

    private void send(MqttConnection.Link link, boolean stopping) {
        String bridgeId = config.mqtt().clientId();
        Instant now = Instant.now();
        BrokerClients.Snapshot count = clients.snapshot();
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                SOURCE,
                EventTypes.BRIDGE_LINK,
                bridgeId,
                BridgeLink.PLATFORM_TENANT,
                now,
                EventJson.write(new BridgeLink(
                        bridgeId,
                        link.linked(),
                        link.since(),
                        now,
                        stopping,
                        count.connected(),
                        count.before(),
                        count.roseAt())));
        try {
            producer.send(KafkaCloudEvents.toRecord(Topics.GATEWAY_REPORTS, bridgeId, event), (metadata, error) -> {
                if (error == null) {
                    if (lastFailure != null) {
                        LOG.infof("link status reaches gateway-reports again (after: %s)", lastFailure);
                        lastFailure = null;
                    }
                } else {
                    failed(error);
                }
            });
        } catch (KafkaException e) {
            failed(e);
        }
    }

    private void failed(Exception error) {
        String failure = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (!failure.equals(lastFailure)) { // each distinct failure once, not every interval
            LOG.warnf("cannot send the link status to gateway-reports (the next one follows): %s", failure);
        }
        lastFailure = failure;
    }

    /**
     * Stops reporting; sends a last status, not linked and stopping (called after the MQTT connection closed): this
     * instance is gone, so the platform stops counting it at once instead of holding its heartbeat sweep back for a
     * bridge that will not come back (a retired instance, a rolling update). Once only.
     */
    public synchronized void stop() {
        if (worker == null || worker.isShutdown()) {
            return;
        }
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MqttConnection.Link last = mqtt.link();
        send(last.linked() ? new MqttConnection.Link(false, Instant.now()) : last, true); // no longer relaying
        producer.close(Duration.ofSeconds(5));
    }
}
