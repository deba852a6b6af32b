package io.edgefleet.bridge.link;

import io.edgefleet.bridge.BridgeConfig;
import io.edgefleet.bridge.mqtt.MqttConnection;
import io.edgefleet.bridge.support.EdgeLinkTestResource;
import io.edgefleet.bridge.support.TestDevice;
import io.edgefleet.bridge.support.TestEvents;
import io.edgefleet.bridge.support.TestInfrastructure;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.BridgeLink;
import io.edgefleet.testsupport.MosquittoBroker;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge tells gateway-reports whether it is linked to the edge broker: periodically, when the link changes, and
 * that it is gone as it stops; with the real broker's connected-client count ($SYS, every second in the test broker):
 * after the broker came back, the count before the loss and when the reconnecting clients raised it. Stops the reporter
 * at its end (no other test of this application needs it).
 */
@QuarkusTest
@TestInfrastructure
class LinkReporterTest {

    @Inject
    BridgeConfig config;

    @Inject
    MqttConnection mqtt;

    @Inject
    LinkReporter reporter;

    @Test
    void theLinkStatusIsPublishedPeriodicallyAndWhenTheBrokerGoesAndComesBack() throws Exception {
        String bridgeId = config.mqtt().clientId();
        await().atMost(Duration.ofSeconds(30)).until(() -> mqtt.ready());
        MosquittoBroker broker = EdgeLinkTestResource.broker();
        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            Instant linkedAt = mqtt.link().since();
            // periodic: two statuses of the same link (same since), keyed and addressed by the bridge id
            List<TopicReader.Received> up = reports.await(status(bridgeId, true, linkedAt), 2, Duration.ofSeconds(30));
            // the topic is read from its beginning and the application served other tests before: at least two
            assertTrue(up.size() >= 2, "two periodic statuses of the link, got " + up.size());
            for (TopicReader.Received r : up) {
                assertEquals(bridgeId, r.key());
                assertEquals(bridgeId, r.event().subject());
                assertEquals(BridgeLink.PLATFORM_TENANT, r.event().tenant());
            }
            // the broker's client count (the bridge itself at least), read from $SYS/broker/clients/connected
            assertFalse(
                    reports.await(r -> isStatus(r, bridgeId) && counted(r) >= 1, 1, Duration.ofSeconds(15))
                            .isEmpty(),
                    "the link status carries the broker's connected-client count");

            Instant stopped = Instant.now();
            broker.stop();
            try {
                // at the change, not only at the next interval: well before 3 intervals (the platform's freshness)
                List<TopicReader.Received> down = reports.await(
                        r -> isStatus(r, bridgeId)
                                && !link(r).linked()
                                && !link(r).since().isBefore(stopped),
                        1,
                        Duration.ofSeconds(10));
                assertFalse(down.isEmpty(), "the link went down");
            } finally {
                broker.restart();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> mqtt.ready());
            List<TopicReader.Received> back = reports.await(
                    r -> isStatus(r, bridgeId)
                            && link(r).linked()
                            && link(r).since().isAfter(stopped),
                    1,
                    Duration.ofSeconds(10));
            assertFalse(back.isEmpty(), "linked again, since the reconnection");
            assertFalse(link(back.get(0)).sentAt().isBefore(link(back.get(0)).since()));
            assertFalse(link(back.get(0)).stopping(), "a running bridge's statuses are not its last word");

            // a device reconnects after the restart (as a fleet does, one TLS handshake at a time): the count rises
            // above the new connection's first one, and the count before the restart is carried along
            Instant deviceConnecting = Instant.now();
            try (TestDevice device = TestDevice.enrolled(TestEvents.name("tenant"), TestEvents.name("uid"))) {
                device.connect(true);
                List<TopicReader.Received> rising = reports.await(
                        r -> isStatus(r, bridgeId)
                                && link(r).since().isAfter(stopped)
                                && link(r).clientsRoseAt() != null
                                && !link(r).clientsRoseAt().isBefore(deviceConnecting.minusSeconds(1)),
                        1,
                        Duration.ofSeconds(15));
                assertFalse(rising.isEmpty(), "the count rose while the device reconnected");
                BridgeLink status = link(rising.get(0));
                assertTrue(status.brokerClients() >= 2, "the bridge and the device: " + status);
                assertNotNull(status.clientsBefore(), "the count before the broker went away: " + status);
                assertTrue(status.clientsBefore() >= 1, "the bridge at least was connected before: " + status);
            }

            // as the bridge stops (Bridge.stop calls this after the MQTT connection closed): its last word says it is
            // gone, so the platform stops counting it at once (the application's own stop finds it done)
            reporter.stop();
            List<TopicReader.Received> last =
                    reports.await(r -> isStatus(r, bridgeId) && link(r).stopping(), 1, Duration.ofSeconds(10));
            assertEquals(1, last.size(), "one last status, stopping");
            assertFalse(link(last.get(0)).linked(), "a stopped bridge relays nothing");
        }
    }

    private static Predicate<TopicReader.Received> status(String bridgeId, boolean linked, Instant since) {
        return r -> isStatus(r, bridgeId)
                && link(r).linked() == linked
                && link(r).since().equals(since);
    }

    private static boolean isStatus(TopicReader.Received r, String bridgeId) {
        return r.event().type().equals(EventTypes.BRIDGE_LINK) && bridgeId.equals(r.key());
    }

    private static int counted(TopicReader.Received r) {
        Integer clients = link(r).brokerClients();
        return clients == null ? -1 : clients;
    }

    private static BridgeLink link(TopicReader.Received r) {
        return r.event().dataAs(BridgeLink.class);
    }
}
