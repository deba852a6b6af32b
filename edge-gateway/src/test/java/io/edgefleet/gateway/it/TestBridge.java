package io.edgefleet.gateway.it;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.MqttCloudEvents;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.MosquittoBroker;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The test acting as the edge bridge (docs/edge-link.md): an MQTT 5 client with the bridge certificate on Mosquitto's
 * platform listener. It publishes commands to a device's command topic as CloudEvents in binary mode (attributes as
 * user properties) with a message expiry, and reads every report topic. Its session survives a broker restart
 * (clean start off, reconnecting by itself), so reports published while it reconnects wait for it. Reports are
 * collected as an idempotent consumer sees them: a redelivered event (same id) counts once; {@link #all} shows all.
 */
final class TestBridge implements AutoCloseable {

    static final String CLUSTER_SERVICE = "/edgefleet/cluster-service";
    static final Duration COMMAND_TTL = Duration.ofHours(1);

    /** A report as read: the identity its topic names, and the CloudEvent. */
    record Received(EdgeTopics.Address from, CloudEvent event) {
        String uid() {
            return from.uid();
        }

        String type() {
            return event.type();
        }

        <T> T data(Class<T> type) {
            return event.dataAs(type);
        }
    }

    private final Mqtt5AsyncClient client;
    private final List<Received> received = new ArrayList<>();
    private final List<Received> distinct = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    TestBridge(MosquittoBroker broker) {
        EdgePki pki = broker.pki();
        client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(
                        "test-bridge-" + UUID.randomUUID()) // new id: no session to resume, so clean start off is safe
                .serverHost("localhost")
                .serverPort(broker.platformPort())
                .sslConfig()
                .keyManagerFactory(keys(pki.bridge()))
                .trustManagerFactory(trust(pki.platformCa()))
                .applySslConfig()
                .automaticReconnect()
                .initialDelay(200, TimeUnit.MILLISECONDS)
                .maxDelay(2, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, this::onReport);
        try {
            client.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(EdgeTopics.SESSION_NEVER_EXPIRES)
                    .send()
                    .get(30, TimeUnit.SECONDS);
            client.subscribeWith()
                    .topicFilter(EdgeTopics.ROOT + "/+/+/" + EdgeTopics.REPORTS)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the test bridge could not connect to " + broker.platformUrl(), e);
        }
    }

    /** A command as cluster-service sends it, with the default deadline. */
    void command(String tenant, String uid, String type, Object payload) {
        command(tenant, uid, type, CLUSTER_SERVICE, payload, COMMAND_TTL);
    }

    /** A command from {@code source} whose MQTT message expires after {@code ttl} (and whose CloudEvent says so). */
    void command(String tenant, String uid, String type, String source, Object payload, Duration ttl) {
        CloudEvent event = new CloudEvent(
                        UUID.randomUUID().toString(),
                        source,
                        type,
                        uid,
                        tenant,
                        Instant.now(),
                        EventJson.write(payload))
                .withExpiresAt(Instant.now().plus(ttl));
        publish(EdgeTopics.commands(tenant, uid), event, ttl);
    }

    /** Any event to any topic (commands addressed to someone else, say). */
    void publish(String topic, CloudEvent event, Duration ttl) {
        Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
        MqttCloudEvents.properties(event).forEach(properties::add);
        Mqtt5Publish message = Mqtt5Publish.builder()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .contentType(CloudEvent.JSON)
                .userProperties(properties.build())
                .messageExpiryInterval(Math.max(1, ttl.toSeconds()))
                .payload(event.data())
                .build();
        Exception failure = null;
        for (int attempt = 0;
                attempt < 5;
                attempt++) { // as the bridge: again until the broker has it (a restart may lose it)
            try {
                Mqtt5PublishResult result = client.publish(message).get(30, TimeUnit.SECONDS);
                if (result.getError().isEmpty()) {
                    return;
                }
                failure = new IllegalStateException(
                        "the broker refused the command", result.getError().get());
            } catch (Exception e) {
                failure = e;
            }
            sleep(1_000);
        }
        throw new IllegalStateException("could not publish to " + topic, failure);
    }

    private synchronized void onReport(Mqtt5Publish message) {
        EdgeTopics.Address from = EdgeTopics.parse(message.getTopic().toString());
        Map<String, String> properties = new LinkedHashMap<>();
        message.getUserProperties()
                .asList()
                .forEach(
                        p -> properties.put(p.getName().toString(), p.getValue().toString()));
        CloudEvent event = MqttCloudEvents.fromProperties(
                properties, message.getContentType().map(Object::toString).orElse(null), message.getPayloadAsBytes());
        Received report = new Received(from, event);
        received.add(report);
        if (ids.add(event.id())) {
            distinct.add(report);
        }
    }

    /** Waits until {@code count} distinct reports match, or the timeout passes; returns the matching ones. */
    List<Received> await(Predicate<Received> filter, int count, Duration timeout) {
        Eventually.holds(timeout, Duration.ofMillis(100), () -> matching(filter).size() >= count);
        return matching(filter);
    }

    /** Waits a while longer, to catch reports that should not come. */
    List<Received> settle(Predicate<Received> filter, Duration quiet) {
        sleep(quiet.toMillis());
        return matching(filter);
    }

    /** Every report that matches, redeliveries included. */
    synchronized List<Received> all(Predicate<Received> filter) {
        return received.stream().filter(filter).toList();
    }

    synchronized List<Received> matching(Predicate<Received> filter) {
        return distinct.stream().filter(filter).toList();
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // gone already
        }
    }

    static KeyManagerFactory keys(EdgePki.Issued issued) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", issued.key(), "changeit".toCharArray(), new Certificate[] {issued.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(store, "changeit".toCharArray());
            return factory;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static TrustManagerFactory trust(EdgePki.Issued ca) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
