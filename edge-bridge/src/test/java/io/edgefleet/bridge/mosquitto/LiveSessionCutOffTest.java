package io.edgefleet.bridge.mosquitto;

import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.edgefleet.bridge.BridgeConfig;
import io.edgefleet.bridge.mqtt.PlatformListener;
import io.edgefleet.bridge.support.PlatformObserver;
import io.edgefleet.bridge.support.TestDevice;
import io.edgefleet.bridge.support.TestEvents;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.MosquittoBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Mosquitto mechanics the access sync relies on, step by step on one live device connection (a broker of its own,
 * no bridge): a deny entry plus SIGHUP stops the connected device's publishes and deliveries at once, but leaves it
 * connected; a CRL plus SIGHUP refuses the certificate only at the next handshake; the session take-over ends the
 * connection and the session.
 */
class LiveSessionCutOffTest {

    private static MosquittoBroker broker;
    private static EdgePki pki;

    @BeforeAll
    static void start() {
        Path home = Path.of(
                        "target", "live-cut-off-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        pki = EdgePki.create(home.resolve("pki"));
        broker = MosquittoBroker.start(pki, home.resolve("mosquitto"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void denyEntryThenCrlThenTakeOver() throws Exception {
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        String identity = EdgeTopics.identity(tenant, uid);
        EdgePki.Issued certificate = pki.device(tenant, uid);
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        try (TestDevice device = new TestDevice(broker, tenant, uid, certificate).online();
                PlatformObserver bridge = new PlatformObserver(broker, EdgeTopics.reports(tenant, uid))) {
            assertEquals(Mqtt5PubAckReasonCode.SUCCESS, bridge.publish(EdgeTopics.commands(tenant, uid), payload));
            assertNotNull(device.next(Duration.ofSeconds(10)), "delivered before the cut-off");
            assertEquals(
                    Mqtt5PubAckReasonCode.SUCCESS, device.publish(EdgeTopics.reports(tenant, uid), Map.of(), payload));
            assertNotNull(bridge.next(Duration.ofSeconds(10)));

            // 1. the deny entry and a reload: the same connection can neither publish nor receive, but stays connected
            DenyList denyList = DenyList.load(broker.deviceAclFile());
            denyList.deny(identity);
            denyList.save();
            assertTrue(new MosquittoReload(broker.pidFile()).reload());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> device.publish(EdgeTopics.reports(tenant, uid), Map.of(), payload)
                            == Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            bridge.publish(EdgeTopics.commands(tenant, uid), payload);
            assertNull(device.next(Duration.ofSeconds(3)), "nothing is delivered to a denied identity");
            assertNull(bridge.next(Duration.ofSeconds(1)), "its refused report went nowhere");
            assertTrue(device.connected(), "the ACL does not end the connection");

            // 2. the CRL and a reload: the open connection is untouched (CRLs are checked at handshakes only)
            pki.revoke(certificate);
            assertTrue(new MosquittoReload(broker.pidFile()).reload());
            await("the CRL does not end the connection either")
                    .during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(10))
                    .until(device::connected);

            // 3. the take-over ends it, and its session: the device is refused at the next handshake
            assertTrue(new SessionTakeover(new PlatformListener(platform())).end(identity));
            await().atMost(Duration.ofSeconds(10)).until(() -> !device.connected());
            assertThrows(Exception.class, () -> device.connect(false));

            // and its session with it: a command for it finds no subscription to queue in
            assertEquals(
                    Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS,
                    bridge.publish(EdgeTopics.commands(tenant, uid), payload));
        }
    }

    private static BridgeConfig.Mqtt platform() {
        return new BridgeConfig.Mqtt() {
            public URI url() {
                return URI.create(broker.platformUrl());
            }

            public Path certFile() {
                return pki.bridge().certFile();
            }

            public Path keyFile() {
                return pki.bridge().keyFile();
            }

            public Path caFile() {
                return pki.platformCa().certFile();
            }

            public String clientId() {
                return "unused";
            }

            public Duration keepAlive() {
                return Duration.ofSeconds(30);
            }

            public int receiveMaximum() {
                return 10;
            }
        };
    }
}
