package io.edgefleet.bridge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import io.edgefleet.bridge.BridgeConfig;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Where and how the bridge reaches the broker: the platform listener over TLS with the bridge's client certificate,
 * the server checked against the platform CA and its host name. Used by the relay connection and by the access
 * sync's session take-overs.
 */
public final class PlatformListener {

    private final String host;
    private final int port;
    private final MqttClientSslConfig tls;
    private final URI url;

    public PlatformListener(BridgeConfig.Mqtt config) {
        this.url = config.url();
        if (!("ssl".equals(url.getScheme()) || "mqtts".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("bridge.mqtt.url must be ssl://host:port (TLS only), not " + url);
        }
        this.host = url.getHost();
        this.port = url.getPort() > 0 ? url.getPort() : 8883;
        this.tls = MqttClientSslConfig.builder()
                .keyManagerFactory(PemTls.identity(config.certFile(), config.keyFile()))
                .trustManagerFactory(PemTls.trust(config.caFile()))
                .handshakeTimeout(10, TimeUnit.SECONDS)
                .build();
    }

    /** A client builder for {@code clientId} on this listener (MQTT 5, TLS). */
    public Mqtt5ClientBuilder client(String clientId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost(host)
                .serverPort(port)
                .sslConfig(tls);
    }

    public URI url() {
        return url;
    }
}
