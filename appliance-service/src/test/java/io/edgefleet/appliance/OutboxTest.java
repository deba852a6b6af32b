package io.edgefleet.appliance;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.kit.outbox.OutboxRelay;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** State changes and their events commit together; events survive a broker outage and arrive once. */
@QuarkusTest
@TestInfrastructure
class OutboxTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    OutboxRelay relay;

    @ConfigProperty(name = "outbox.poll-interval")
    Duration pollInterval;

    @Test
    void anEventIsPublishedWhenItsTransactionCommitsNotAtTheRelaysNextPoll() {
        assertTrue(pollInterval.toMinutes() >= 5, "the relay must not poll during this test: " + pollInterval);
        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            for (int i = 0; i < 3; i++) {
                String uid = "woken-" + i;
                register(TENANT_A, uid, "{}");
                var events = reader.await(r -> r.event().subject().equals(uid), 1, Duration.ofSeconds(20));
                assertEquals(1, events.size(), "the registration of " + uid + " was published at its commit");
            }
        }
    }

    @Test
    void eventsWrittenWhileKafkaIsAwayArriveOnceWhenItIsBack() {
        List<String> uids = IntStream.range(0, 8).mapToObj(i -> "outage-" + i).toList();
        KafkaTestResource.broker().pause();
        try {
            // the API keeps working: each registration and its event commit in PostgreSQL
            uids.forEach(uid -> register(TENANT_A, uid, "{}"));
            admin(TENANT_A).body("""
                    {"tags": {"during": "outage"}}
                    """).put("/v1/appliances/outage-0/tags").then().statusCode(200);
            Eventually.holds(Duration.ofSeconds(30), Duration.ofMillis(200), () -> relay.lastFailure() != null);
            assertNotNull(relay.lastFailure(), "the relay noticed the broker is gone");
            assertTrue(relay.pendingCount() >= uids.size() + 1, "events wait in the outbox: " + relay.pendingCount());
        } finally {
            KafkaTestResource.broker().resume();
        }

        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            var ours = reader.await(
                    r -> r.event().subject().startsWith("outage-"), uids.size() + 1, Duration.ofSeconds(60));
            ours = reader.settle(r -> r.event().subject().startsWith("outage-"), Duration.ofSeconds(2));
            assertEquals(
                    uids.size() + 1,
                    ours.size(),
                    "every event once: "
                            + ours.stream()
                                    .map(r -> r.event().subject() + " "
                                            + r.event().type())
                                    .toList());
            assertEquals(
                    ours.size(),
                    reader.all(r -> r.event().subject().startsWith("outage-")).size(),
                    "no event delivered twice");
            // per key order: outage-0 was registered before its tags changed
            assertEquals(
                    List.of(EventTypes.APPLIANCE_REGISTERED, EventTypes.APPLIANCE_UPDATED),
                    ours.stream()
                            .filter(r -> r.key().equals("outage-0"))
                            .map(r -> r.event().type())
                            .toList());
        }
        Eventually.holds(Duration.ofSeconds(10), Duration.ofMillis(200), () -> relay.lastFailure() == null);
        assertEquals(null, relay.lastFailure());
        assertEquals(0, relay.pendingCount());
    }

    @Test
    void aRejectedChangePublishesNothing() {
        register(TENANT_A, "rollback-1", "{}");
        admin(TENANT_A).body("""
                        {"uid":"rollback-1"}""").post("/v1/appliances").then().statusCode(409);
        admin(TENANT_A).body("""
                {"tags": {"bad key": "x"}}
                """).put("/v1/appliances/rollback-1/tags").then().statusCode(400);
        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            reader.await(r -> r.event().subject().equals("rollback-1"), 1, Duration.ofSeconds(20));
            var events = reader.settle(r -> r.event().subject().equals("rollback-1"), Duration.ofSeconds(2));
            assertEquals(
                    List.of(EventTypes.APPLIANCE_REGISTERED),
                    events.stream().map(r -> r.event().type()).toList());
        }
    }
}
