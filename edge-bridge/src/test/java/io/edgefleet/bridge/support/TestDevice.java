package io.edgefleet.bridge.support;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import io.edgefleet.bridge.mqtt.PemTls;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.MqttCloudEvents;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.MosquittoBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A gateway as the broker sees it: a HiveMQ MQTT 5 client with the device's own certificate on the device listener.
 * Collects whatever it receives; no automatic reconnect (tests decide when it connects).
 */
public final class TestDevice implements AutoCloseable {

    public final String tenant;
    public final String uid;
    private final EdgePki.Issued certificate;
    private final Mqtt5AsyncClient client;
    private final BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();

    public TestDevice(MosquittoBroker broker, String tenant, String uid, EdgePki.Issued certificate) {
        this.tenant = tenant;
        this.uid = uid;
        this.certificate = certificate;
        this.client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(EdgeTopics.identity(tenant, uid))
                .serverHost("localhost")
                .serverPort(broker.devicePort())
                .sslConfig(MqttClientSslConfig.builder()
                        .keyManagerFactory(PemTls.identity(certificate.certFile(), certificate.keyFile()))
                        .trustManagerFactory(
                                PemTls.trust(broker.pki().platformCa().certFile()))
                        .build())
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, received::add);
    }

    /** A device with a fresh certificate of the test edge CA. */
    public static TestDevice enrolled(String tenant, String uid) {
        return new TestDevice(
                EdgeLinkTestResource.broker(),
                tenant,
                uid,
                EdgeLinkTestResource.pki().device(tenant, uid));
    }

    public EdgePki.Issued certificate() {
        return certificate;
    }

    /** Connects with a persistent session (clean start off, 1 h expiry) unless {@code cleanStart}. */
    public Mqtt5ConnAck connect(boolean cleanStart) throws Exception {
        return client.connectWith()
                .cleanStart(cleanStart)
                .sessionExpiryInterval(EdgeTopics.SESSION_NEVER_EXPIRES)
                .send()
                .get(15, TimeUnit.SECONDS);
    }

    /** Connects with a persistent session and subscribes to its command topic. */
    public TestDevice online() throws Exception {
        Mqtt5ConnAck ack = connect(false);
        if (!ack.isSessionPresent()) {
            subscribe(EdgeTopics.commands(tenant, uid));
        }
        return this;
    }

    public Mqtt5SubAck subscribe(String topic) throws Exception {
        return client.subscribeWith()
                .topicFilter(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .get(10, TimeUnit.SECONDS);
    }

    public boolean connected() {
        return client.getState().isConnected();
    }

    public void disconnect() throws Exception {
        if (client.getState().isConnected()) {
            client.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    /** Publishes a report to its own report topic, as the gateway does; returns the broker's PUBACK reason. */
    public Mqtt5PubAckReasonCode report(CloudEvent event) throws Exception {
        return publish(EdgeTopics.reports(tenant, uid), MqttCloudEvents.properties(event), event.data());
    }

    /** Publishes QoS 1 with the given user properties; returns the broker's PUBACK reason (an error one too). */
    public Mqtt5PubAckReasonCode publish(String topic, Map<String, String> properties, byte[] payload)
            throws Exception {
        Mqtt5UserPropertiesBuilder user = Mqtt5UserProperties.builder();
        properties.forEach(user::add);
        try {
            Mqtt5PublishResult result = client.publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .contentType(CloudEvent.JSON)
                    .userProperties(user.build())
                    .payload(payload)
                    .send()
                    .get(10, TimeUnit.SECONDS);
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException refused) {
                return refused.getMqttMessage().getReasonCode();
            }
            throw e;
        }
    }

    /** The next message it received, or null after {@code timeout}. */
    public Mqtt5Publish next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Everything it received so far. */
    public List<Mqtt5Publish> drain() {
        List<Mqtt5Publish> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    public static Map<String, String> userProperties(Mqtt5Publish publish) {
        Map<String, String> properties = new LinkedHashMap<>();
        publish.getUserProperties()
                .asList()
                .forEach(
                        p -> properties.put(p.getName().toString(), p.getValue().toString()));
        return properties;
    }

    public static String payload(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            disconnect();
        } catch (Exception ignored) {
            // the broker may have closed it already
        }
    }

    public static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
