package io.edgefleet.appliance;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.UnreachableReason;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Pairing through gateway reports on the real broker, heartbeats, report authentication and idempotency. */
@QuarkusTest
@TestInfrastructure
class PairingTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private GatewayReports reports;
    private TopicReader applianceEvents;

    @BeforeEach
    void connect() {
        reports = new GatewayReports();
        applianceEvents = new TopicReader(Topics.APPLIANCE_EVENTS);
    }

    @AfterEach
    void disconnect() {
        reports.close();
        applianceEvents.close();
    }

    /** The appliance's status, or null while it does not exist (e.g. before its gateway enrolled). */
    static String statusOf(String tenant, String uid) {
        var response = viewer(tenant).get("/v1/appliances/" + uid).then().extract();
        return response.statusCode() == 200 ? response.path("status") : null;
    }

    static void awaitStatus(String tenant, String uid, ApplianceStatus status, Duration timeout) {
        Awaitility.await("status of " + uid)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> statusOf(tenant, uid), equalTo(status.name()));
    }

    static Predicate<TopicReader.Received> about(String tenant, String uid) {
        return r -> uid.equals(r.event().subject()) && tenant.equals(r.event().tenant());
    }

    static List<String> types(List<TopicReader.Received> events) {
        return events.stream().map(r -> r.event().type()).toList();
    }

    @Test
    void aRegisteredApplianceIsPairedByItsGatewaysReport() {
        register(TENANT_A, "pair-1", """
                {"name":"Pair one"}""");
        reports.send(TENANT_A, GatewayReports.report("pair-1", "edge-pair-1"));

        awaitStatus(TENANT_A, "pair-1", ApplianceStatus.READY, Duration.ofSeconds(20));
        viewer(TENANT_A)
                .get("/v1/appliances/pair-1")
                .then()
                .body("kind", equalTo("VM"))
                .body("inventory.hostname", equalTo("edge-pair-1"))
                .body("inventory.cpus", equalTo(4))
                .body("inventory.docker.present", equalTo(true))
                .body("podCidr", equalTo("192.168.0.0/16"))
                .body("gatewayVersion", equalTo("0.1.0"));

        var events = applianceEvents.await(about(TENANT_A, "pair-1"), 2, Duration.ofSeconds(20));
        assertEquals(List.of(EventTypes.APPLIANCE_REGISTERED, EventTypes.APPLIANCE_PAIRED), types(events));
        assertEquals("pair-1", events.get(1).key());
        ApplianceSnapshot paired = events.get(1).event().dataAs(ApplianceSnapshot.class);
        assertEquals(ApplianceStatus.READY, paired.status());
        assertEquals("Pair one", paired.name());
        assertEquals("edge-pair-1", paired.inventory().hostname());
        assertEquals("/edgefleet/appliance-service", events.get(1).event().source());
    }

    @Test
    void aGatewaySeenBeforeRegistrationPairsTheMomentItIsRegistered() {
        // the report is kept as "discovered": not listed, but registering pairs at once. Until the report was handled
        // before the registration, start over: delete, and report again (a report handled in between paired the
        // registered appliance, and deleting it took that report along)
        Awaitility.await("registered after its gateway's report: READY at once")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> {
                            reports.send(TENANT_A, GatewayReports.report("early-1", "edge-early"));
                            Eventually.pause(Duration.ofMillis(300)); // the report's turn first, most times
                            String status = admin(TENANT_A)
                                    .body("""
                                            {"uid":"early-1"}""")
                                    .post("/v1/appliances")
                                    .then()
                                    .statusCode(201)
                                    .extract()
                                    .path("status");
                            if (!"READY".equals(status)) {
                                admin(TENANT_A)
                                        .delete("/v1/appliances/early-1")
                                        .then()
                                        .statusCode(204);
                            }
                            return status;
                        },
                        equalTo("READY"));
        viewer(TENANT_A).get("/v1/appliances/early-1").then().body("inventory.hostname", equalTo("edge-early"));
        var events = applianceEvents.await(
                about(TENANT_A, "early-1").and(r -> r.event().type().equals(EventTypes.APPLIANCE_PAIRED)),
                1,
                Duration.ofSeconds(20));
        assertEquals(1, events.size());
    }

    @Test
    void registrationsRacingFirstReportsNeverFail() {
        // each report inserts a "discovered" row while the registration inserts the appliance: one of the
        // two inserts loses on the unique (tenant, uid) and must be retried, never answered with a 500
        for (int i = 0; i < 15; i++) {
            String uid = "race-" + i;
            reports.send(TENANT_A, GatewayReports.report(uid, "edge-race"));
            admin(TENANT_A)
                    .body("""
                            {"uid":"%s"}""".formatted(uid))
                    .post("/v1/appliances")
                    .then()
                    .statusCode(201);
        }
        // each got paired: READY, or already UNREACHABLE again (one report only, and the test heartbeat timeout is 4 s,
        // shorter than waiting for fifteen appliances one after the other on a loaded machine); never UNPAIRED
        for (int i = 0; i < 15; i++) {
            String uid = "race-" + i;
            Awaitility.await("status of " + uid)
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> statusOf(TENANT_A, uid), anyOf(equalTo("READY"), equalTo("UNREACHABLE")));
        }
    }

    @Test
    void aSilentGatewayMakesTheApplianceUnreachableUntilItReportsAgain() {
        register(TENANT_A, "silent-1", "{\"test\": \"silent-1\"}");
        reports.send(TENANT_A, GatewayReports.report("silent-1", "edge-silent"));
        awaitStatus(TENANT_A, "silent-1", ApplianceStatus.READY, Duration.ofSeconds(20));
        // heartbeat timeout is 4 s in tests
        awaitStatus(TENANT_A, "silent-1", ApplianceStatus.UNREACHABLE, Duration.ofSeconds(20));
        var unreachable = viewer(TENANT_A).get("/v1/appliances/silent-1").then().extract();
        assertEquals("HEARTBEATS_MISSED", unreachable.path("unreachableReason"));
        assertEquals(
                unreachable.<String>path("lastSeenAt"),
                unreachable.path("unreachableSince"),
                "heartbeats missed since the last report");
        var listed = viewer(TENANT_A)
                .get("/v1/appliances?status=UNREACHABLE&tag=test:silent-1")
                .then()
                .extract()
                .<String>path("items[0].unreachableReason");
        assertEquals("HEARTBEATS_MISSED", listed, "the list says why too");

        reports.send(TENANT_A, GatewayReports.report("silent-1", "edge-silent"));
        awaitStatus(TENANT_A, "silent-1", ApplianceStatus.READY, Duration.ofSeconds(20));
        var ready = viewer(TENANT_A).get("/v1/appliances/silent-1").then().extract();
        assertNull(ready.path("unreachableReason"), "no reason while READY");
        assertNull(ready.path("unreachableSince"));

        var events = applianceEvents.await(about(TENANT_A, "silent-1"), 4, Duration.ofSeconds(20));
        assertEquals(
                List.of(
                        EventTypes.APPLIANCE_REGISTERED,
                        EventTypes.APPLIANCE_PAIRED,
                        EventTypes.APPLIANCE_UNREACHABLE,
                        EventTypes.APPLIANCE_REACHABLE),
                types(events));
        // consumers of appliance-events learn why as the API says it, and that it no longer holds
        ApplianceSnapshot silent = events.get(2).event().dataAs(ApplianceSnapshot.class);
        assertEquals(UnreachableReason.HEARTBEATS_MISSED, silent.unreachableReason());
        assertEquals(Instant.parse(unreachable.path("unreachableSince")), silent.unreachableSince());
        ApplianceSnapshot back = events.get(3).event().dataAs(ApplianceSnapshot.class);
        assertNull(back.unreachableReason(), "no reason once REACHABLE");
        assertNull(back.unreachableSince());
    }

    @Test
    void aReportCountsOnlyForTheTenantItArrivedFor() {
        // reports carry no credential any more: the bridge takes tenant and uid from the MQTT topic, i.e. from the
        // appliance's verified certificate (docs/edge-link.md), so ce_tenant is trusted and scopes the report
        register(TENANT_A, "auth-1", "{}");
        reports.send(TENANT_B, GatewayReports.report("auth-1", "tenant-b's"));
        reports.send(TENANT_A, GatewayReports.report("auth-1", "genuine"));

        awaitStatus(TENANT_A, "auth-1", ApplianceStatus.READY, Duration.ofSeconds(20));
        var events = applianceEvents.settle(about(TENANT_A, "auth-1"), Duration.ofSeconds(2));
        assertEquals(List.of(EventTypes.APPLIANCE_REGISTERED, EventTypes.APPLIANCE_PAIRED), types(events));
        assertEquals(
                "genuine",
                events.get(1)
                        .event()
                        .dataAs(ApplianceSnapshot.class)
                        .inventory()
                        .hostname());
        // tenant B's report made no appliance of tenant B either (it is only kept as discovered)
        viewer(TENANT_B).get("/v1/appliances/auth-1").then().statusCode(404);
    }

    @Test
    void aRedeliveredReportIsHandledOnce() {
        register(TENANT_A, "dedup-1", "{}");
        reports.send(TENANT_A, GatewayReports.report("dedup-1", "first"), "dedup-1-r1");
        reports.send(TENANT_A, GatewayReports.report("dedup-1", "second"), "dedup-1-r2");
        reports.send(TENANT_A, GatewayReports.report("dedup-1", "first"), "dedup-1-r1"); // redelivery
        reports.send(TENANT_A, GatewayReports.report("dedup-1", "second"), "dedup-1-r3");

        var events = applianceEvents.await(about(TENANT_A, "dedup-1"), 3, Duration.ofSeconds(20));
        events = applianceEvents.settle(about(TENANT_A, "dedup-1"), Duration.ofSeconds(3));
        // had the redelivery been applied, the hostname would have flipped to "first" and back: two more events
        assertEquals(
                List.of(EventTypes.APPLIANCE_REGISTERED, EventTypes.APPLIANCE_PAIRED, EventTypes.APPLIANCE_UPDATED),
                types(events));
        viewer(TENANT_A).get("/v1/appliances/dedup-1").then().body("inventory.hostname", equalTo("second"));
    }

    @Test
    void malformedReportsAreSkippedAndDoNotBlockTheOthers() {
        register(TENANT_A, "poison-1", "{}");
        reports.sendRaw(new ProducerRecord<>(
                Topics.GATEWAY_REPORTS, "poison-1", "not a cloud event".getBytes(StandardCharsets.UTF_8)));
        var wrongShape = new CloudEvent(
                "bad-1", "/x", EventTypes.GATEWAY_HEARTBEAT, "poison-1", TENANT_A, Instant.now(), """
                        {"uid":{}}""".getBytes(
                                StandardCharsets.UTF_8));
        reports.sendRaw(KafkaCloudEvents.toRecord(Topics.GATEWAY_REPORTS, "poison-1", wrongShape));
        var mismatch = new CloudEvent(
                "bad-2",
                "/x",
                EventTypes.GATEWAY_HEARTBEAT,
                "poison-1",
                TENANT_A,
                Instant.now(),
                EventJson.write(GatewayReports.report("other-uid", "mismatch")));
        reports.sendRaw(KafkaCloudEvents.toRecord(Topics.GATEWAY_REPORTS, "poison-1", mismatch));
        reports.send(TENANT_A, GatewayReports.report("poison-1", "fine"));
        awaitStatus(TENANT_A, "poison-1", ApplianceStatus.READY, Duration.ofSeconds(20));
        viewer(TENANT_A).get("/v1/appliances/poison-1").then().body("inventory.hostname", equalTo("fine"));
    }
}
