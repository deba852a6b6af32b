package io.edgefleet.bridge.support;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.edgefleet.bridge.mqtt.PemTls;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.MosquittoBroker;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Watches topics on the platform listener with the bridge's certificate, to see what the bridge published (e.g. a
 * command for a device that is offline) without being a device.
 */
public final class PlatformObserver implements AutoCloseable {

    private final Mqtt5AsyncClient client;
    private final BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();

    public PlatformObserver(String topicFilter) throws Exception {
        this(EdgeLinkTestResource.broker(), topicFilter);
    }

    public PlatformObserver(MosquittoBroker broker, String topicFilter) throws Exception {
        EdgePki pki = broker.pki();
        client = MqttClient.builder()
                .useMqttVersion5()
                .identifier("observer-" + UUID.randomUUID())
                .serverHost("localhost")
                .serverPort(broker.platformPort())
                .sslConfig(MqttClientSslConfig.builder()
                        .keyManagerFactory(PemTls.identity(
                                pki.bridge().certFile(), pki.bridge().keyFile()))
                        .trustManagerFactory(PemTls.trust(pki.platformCa().certFile()))
                        .build())
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, received::add);
        client.connectWith().cleanStart(true).send().get(15, TimeUnit.SECONDS);
        client.subscribeWith()
                .topicFilter(topicFilter)
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .get(10, TimeUnit.SECONDS);
    }

    /** Publishes QoS 1 as the bridge would (user properties left out); returns the PUBACK reason. */
    public Mqtt5PubAckReasonCode publish(String topic, byte[] payload) throws Exception {
        Mqtt5PublishResult result = client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .send()
                .get(10, TimeUnit.SECONDS);
        return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
    }

    public Mqtt5Publish next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // gone already
        }
    }
}
