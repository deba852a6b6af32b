package io.edgefleet.bridge.link;

import io.edgefleet.bridge.BridgeConfig;
import io.edgefleet.bridge.mqtt.MqttConnection;
import io.edgefleet.bridge.support.EdgeLinkTestResource;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge tells gateway-reports whether it is linked to the edge broker: periodically, when the link changes, and
 * that it is gone as it stops. Stops the reporter at its end (no other test of this application needs it).
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
    void theLinkStatusIsPublishedPeriodicallyAndWhenTheBrokerGoesAndComesBack() {
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

    private static BridgeLink link(TopicReader.Received r) {
        return r.event().dataAs(BridgeLink.class);
    }
}
