package io.edgefleet.appliance;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.LinkLost;
import io.edgefleet.events.payload.UnreachableReason;
import io.edgefleet.gateway.identity.DeviceIdentity;
import io.edgefleet.gateway.identity.TlsMaterial;
import io.edgefleet.gateway.link.MqttLink;
import io.edgefleet.gateway.proxy.ProxyRoutes;
import io.edgefleet.testsupport.CuttableRelay;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.TopicReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.appliance.PairingTest.about;
import static io.edgefleet.appliance.PairingTest.awaitStatus;
import static io.edgefleet.appliance.PairingTest.statusOf;
import static io.edgefleet.appliance.PairingTest.types;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence from the link (issue 14) over the real edge link: the gateway's own {@link MqttLink} with its link-lost will
 * (a short will delay here), Mosquitto, the bridge process, Kafka, this service. Connections go through a
 * {@link CuttableRelay}, so a test can cut a site off as its network fails (an RST: no DISCONNECT reaches the broker).
 * The heartbeat timeout of the tests is 4 s: where only the will may decide, reports of the lost connection itself (as
 * its outbox would still send them) keep silence away until the will is recorded.
 */
@QuarkusTest
@TestInfrastructure
class LinkPresenceTest {

    private static final Logger LOG = Logger.getLogger(LinkPresenceTest.class);

    @Inject
    AgroalDataSource db;

    @Inject
    MeterRegistry metrics;

    private final CuttableRelay path =
            CuttableRelay.tcp(EdgeLinkTestResource.broker().devicePort());
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    private final List<MqttLink> links = new ArrayList<>();
    private final GatewayReports kafka = new GatewayReports();

    @AfterEach
    void close() {
        clock.shutdownNow();
        links.forEach(MqttLink::close);
        path.close();
        kafka.close();
    }

    @Test
    void aGatewayCutOffTurnsUnreachableWithinTheWillDelayNotTheHeartbeatTimeout() throws Exception {
        Duration willDelay = Duration.ofSeconds(2);
        String uid = registered("presence-cut");
        MqttLink link = readyGateway(uid, willDelay);
        Instant lost = link.connectedAt();
        double before = linkLostUnreachable();

        path.refuse(true); // the site stays away
        Instant cutInstant = Instant.now();
        path.cut();
        long cutAt = System.nanoTime();
        ScheduledFuture<?> keeper = reportingOn(uid, lost);
        Instant recorded = awaitWill(uid, willDelay);
        keeper.cancel(false);
        assertEquals(lost, column(uid, "lost_connection"), "the will names the lost connection");

        awaitStatus(TENANT_A, uid, ApplianceStatus.UNREACHABLE, Duration.ofSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - cutAt);
        LOG.infof("UNREACHABLE %d ms after the cut (will delay %s)", took.toMillis(), willDelay);
        assertEquals(before + 1, linkLostUnreachable(), "turned UNREACHABLE by its will, not by silence");
        assertTrue(took.compareTo(Duration.ofSeconds(90)) < 0);
        assertNull(column(uid, "link_lost_at"), "the loss is cleared once taken");

        var unreachable = viewer(TENANT_A).get("/v1/appliances/" + uid).then().extract();
        assertEquals("LINK_LOST", unreachable.path("unreachableReason"));
        Instant since = Instant.parse(unreachable.path("unreachableSince"));
        // when the broker saw the drop, estimated: the bridge's relay of the will minus its delay — not before the cut,
        // nor after a will delay before the will was recorded, nor the last report (its outbox's last came until the
        // will). Not bounded by the cut plus a few seconds: here it is 0.6–0.9 s after the cut, but in a CI run the
        // bridge relayed the will 11.5 s after the cut (estimate cut + 9.5 s) — a delay before or in the bridge,
        // not yet explained (Mosquitto times will delays in whole seconds, which explains up to ~2 s)
        LOG.infof(
                "link lost at %s: %d ms after the cut",
                since, Duration.between(cutInstant, since).toMillis());
        assertTrue(
                !since.isBefore(cutInstant.minusSeconds(1))
                        && !since.isAfter(recorded.minus(willDelay).plusMillis(500)),
                "link lost at " + since + ", cut at " + cutInstant + ", the will recorded by " + recorded);
        assertTrue(
                since.isBefore(Instant.parse(unreachable.path("lastSeenAt"))),
                "the link loss, not the last report: " + since);
        try (TopicReader applianceEvents = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            ApplianceSnapshot event = applianceEvents
                    .await(
                            about(TENANT_A, uid)
                                    .and(r -> EventTypes.APPLIANCE_UNREACHABLE.equals(
                                            r.event().type())),
                            1,
                            Duration.ofSeconds(20))
                    .get(0)
                    .event()
                    .dataAs(ApplianceSnapshot.class);
            assertEquals(UnreachableReason.LINK_LOST, event.unreachableReason(), "consumers tell a lost link too");
            assertEquals(since, event.unreachableSince());
        }
    }

    @Test
    void aWillTakenLateDatesTheDropFromWhenTheBridgeRelayedIt() throws Exception {
        String uid = registered("presence-late");
        Instant connection = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        kafka.send(TENANT_A, GatewayReports.report(uid, "presence").onConnection(connection));
        awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(60));
        double before = linkLostUnreachable();

        ScheduledFuture<?> keeper = reportingOn(uid, connection);
        // as the bridge relayed it 20 s ago (its record's timestamp) and the service, behind a backlog, takes it now
        Instant relayed = Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.MILLIS);
        CloudEvent will = will(uid, connection);
        kafka.sendRaw(new ProducerRecord<>(
                Topics.GATEWAY_REPORTS,
                null,
                relayed.toEpochMilli(),
                uid,
                will.data(),
                KafkaCloudEvents.headers(will)));
        awaitWill(uid, Duration.ofSeconds(2));
        keeper.cancel(false);

        awaitStatus(TENANT_A, uid, ApplianceStatus.UNREACHABLE, Duration.ofSeconds(10));
        assertEquals(before + 1, linkLostUnreachable(), "turned UNREACHABLE by its will, not by silence");
        var unreachable = viewer(TENANT_A).get("/v1/appliances/" + uid).then().extract();
        assertEquals("LINK_LOST", unreachable.path("unreachableReason"));
        assertEquals(
                relayed.minusSeconds(2), // the will's delay
                Instant.parse(unreachable.path("unreachableSince")),
                "the relay minus the will delay, not when the service took the will");
    }

    @Test
    void aGatewayBackWithinTheWillDelayStaysReadyAndNoWillIsPublished() throws Exception {
        Duration willDelay = Duration.ofSeconds(8);
        String uid = registered("presence-back");
        MqttLink link = readyGateway(uid, willDelay);
        Instant first = link.connectedAt();
        clock.scheduleWithFixedDelay(() -> reportQuietly(link, uid), 0, 500, TimeUnit.MILLISECONDS);

        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS);
                TopicReader applianceEvents = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            applianceEvents.settle(about(TENANT_A, uid), Duration.ofSeconds(1));
            int eventsBefore = applianceEvents.all(about(TENANT_A, uid)).size();
            path.cut(); // the gateway reconnects at once (a pause of at most 1 s) and resumes its session
            await("reconnected")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> link.ready() && !first.equals(link.connectedAt()));
            await("stays READY past the will delay")
                    .during(willDelay.plusSeconds(4))
                    .atMost(willDelay.plusSeconds(20))
                    .until(() -> statusOf(TENANT_A, uid), equalTo("READY"));
            assertTrue(
                    reports.all(about(TENANT_A, uid)).stream()
                            .noneMatch(r -> EventTypes.GATEWAY_LINK_LOST.equals(
                                    r.event().type())),
                    "the broker published no will: the session was resumed within the delay");
            assertEquals(
                    eventsBefore,
                    applianceEvents
                            .settle(about(TENANT_A, uid), Duration.ofSeconds(1))
                            .size(),
                    "no appliance event");
            assertNull(column(uid, "lost_connection"));
        }
    }

    @Test
    void aGatewayStoppedGracefullyTurnsUnreachableByItsWillAfterTheDelay() throws Exception {
        Duration willDelay = Duration.ofSeconds(4);
        String uid = registered("presence-stop");
        MqttLink link = readyGateway(uid, willDelay);
        Instant stopped = link.connectedAt();
        double before = linkLostUnreachable();

        link.close(); // the gateway's shutdown path: DISCONNECT with reason 0x04, the will kept
        long stoppedAt = System.nanoTime();
        ScheduledFuture<?> keeper = reportingOn(uid, stopped);
        await("no will within the will delay")
                .during(willDelay.minusSeconds(1))
                .atMost(willDelay)
                .until(() -> column(uid, "lost_connection") == null);
        awaitWill(uid, willDelay);
        keeper.cancel(false);
        Duration tookWill = Duration.ofNanos(System.nanoTime() - stoppedAt);
        assertTrue(tookWill.compareTo(willDelay) >= 0, "the broker kept the will delay: " + tookWill);
        assertEquals(stopped, column(uid, "lost_connection"), "the will names the stopped connection");

        awaitStatus(TENANT_A, uid, ApplianceStatus.UNREACHABLE, Duration.ofSeconds(10));
        assertEquals(before + 1, linkLostUnreachable(), "turned UNREACHABLE by its will, not by silence");
        assertEquals(
                "LINK_LOST",
                viewer(TENANT_A).get("/v1/appliances/" + uid).then().extract().path("unreachableReason"));
    }

    @Test
    void aGatewayRestartedWithinTheWillDelayStaysReadyAndNoWillIsPublished() throws Exception {
        Duration willDelay = Duration.ofSeconds(8);
        String uid = registered("presence-restart");
        AtomicReference<MqttLink> running = new AtomicReference<>(gateway(uid, willDelay));
        report(running.get(), uid, EventTypes.GATEWAY_REGISTERED);
        awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(60));
        clock.scheduleWithFixedDelay(() -> reportQuietly(running.get(), uid), 0, 500, TimeUnit.MILLISECONDS);

        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            running.get().close(); // as an upgrade: stopped with the will kept, started again at once
            running.set(gateway(uid, willDelay)); // the same state: the same client id resumes its session
            await("stays READY past the will delay")
                    .during(willDelay.plusSeconds(4))
                    .atMost(willDelay.plusSeconds(20))
                    .until(() -> statusOf(TENANT_A, uid), equalTo("READY"));
            assertTrue(
                    reports.all(about(TENANT_A, uid)).stream()
                            .noneMatch(r -> EventTypes.GATEWAY_LINK_LOST.equals(
                                    r.event().type())),
                    "the broker published no will: the session was resumed within the delay");
            assertNull(column(uid, "lost_connection"));
        }
    }

    @Test
    void aWillFollowedByAReportOfALaterConnectionEndsReady() throws Exception {
        String uid = registered("presence-order");
        Instant firstConnection = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        GatewayReport report = GatewayReports.report(uid, "presence");
        kafka.send(TENANT_A, report.onConnection(firstConnection));
        awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(60));

        // as the bridge relays them: the will of the first connection, then the next connection's registration, back to
        // back (one poll, as a rule)
        Instant secondConnection = firstConnection.plusSeconds(45);
        kafka.sendRaw(KafkaCloudEvents.toRecord(Topics.GATEWAY_REPORTS, uid, will(uid, firstConnection)));
        kafka.send(
                TENANT_A,
                report.onConnection(secondConnection),
                UUID.randomUUID().toString(),
                Instant.now());
        // the second connection heartbeats on (else silence would decide: the tests' timeout is 4 s)
        clock.scheduleWithFixedDelay(
                () -> kafka.send(TENANT_A, report.onConnection(secondConnection)), 500, 500, TimeUnit.MILLISECONDS);
        try (TopicReader applianceEvents = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            await("stays READY past the settle time")
                    .during(Duration.ofSeconds(6))
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> statusOf(TENANT_A, uid), equalTo("READY"));
            assertFalse(
                    types(applianceEvents.settle(about(TENANT_A, uid), Duration.ofSeconds(1)))
                            .contains(EventTypes.APPLIANCE_UNREACHABLE),
                    "never UNREACHABLE");
        }
        assertEquals(secondConnection, column(uid, "connected_at"));
        assertNull(column(uid, "lost_connection"));
    }

    @Test
    void aDeviceCannotLeaveAWillOnAnotherAppliancesTopic() throws Exception {
        String victim = registered("presence-victim");
        kafka.send(TENANT_A, GatewayReports.report(victim, "presence").onConnection(Instant.now()));
        awaitStatus(TENANT_A, victim, ApplianceStatus.READY, Duration.ofSeconds(60));

        String intruder = "presence-intruder-" + UUID.randomUUID().toString().substring(0, 8);
        DeviceIdentity identity = identity(intruder);
        Mqtt5AsyncClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(identity.identity())
                .serverHost("localhost")
                .serverPort(path.port())
                .sslConfig(MqttClientSslConfig.builder()
                        .keyManagerFactory(TlsMaterial.keyManagers(identity))
                        .trustManagerFactory(trust())
                        .build())
                .buildAsync();
        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            boolean connected;
            try {
                client.connectWith()
                        .cleanStart(true)
                        .willPublish(MqttLink.linkLostWill(TENANT_A, victim, Instant.now(), Duration.ZERO))
                        .send()
                        .get(20, TimeUnit.SECONDS);
                connected = true;
            } catch (ExecutionException refused) {
                connected = false;
                LOG.infof(
                        "the broker refused the connection: %s",
                        refused.getCause().toString());
            }
            if (connected) {
                path.cut(); // the will would be due at once (no delay)
            }
            assertTrue(
                    reports.settle(about(TENANT_A, victim), Duration.ofSeconds(6)).stream()
                            .noneMatch(r -> EventTypes.GATEWAY_LINK_LOST.equals(
                                    r.event().type())),
                    "no will reached Kafka for the victim (connected: " + connected + ")");
            assertNull(column(victim, "lost_connection"));
        }
    }

    @Test
    void aBrokerRestartWithTheFleetReconnectingShowsNoApplianceUnreachable() throws Exception {
        List<String> fleet = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String uid = registered("presence-storm");
            MqttLink link = gateway(uid, Duration.ofSeconds(2));
            report(link, uid, EventTypes.GATEWAY_REGISTERED);
            clock.scheduleWithFixedDelay(() -> reportQuietly(link, uid), 0, 500, TimeUnit.MILLISECONDS);
            fleet.add(uid);
        }
        for (String uid : fleet) {
            awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(60));
        }
        // a clean stop: Mosquitto 2.0.11 publishes every connected client's will at once, delay or not
        EdgeLinkTestResource.broker().restart();
        await("no appliance shown UNREACHABLE while the fleet reconnects")
                .during(Duration.ofSeconds(20))
                .atMost(Duration.ofSeconds(40))
                .until(() -> fleet.stream().allMatch(uid -> "READY".equals(statusOf(TENANT_A, uid))));
        for (String uid : fleet) {
            assertNull(column(uid, "lost_connection"), uid + ": no loss left pending");
        }
    }

    // ---- a gateway's link

    private String registered(String prefix) {
        String uid = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        register(TENANT_A, uid, "{}");
        return uid;
    }

    /** {@link #gateway} registered and its appliance READY. */
    private MqttLink readyGateway(String uid, Duration willDelay) throws Exception {
        MqttLink link = gateway(uid, willDelay);
        report(link, uid, EventTypes.GATEWAY_REGISTERED);
        awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(60));
        return link;
    }

    /**
     * Reports of a connection that ended (its outbox's last) every 200 ms, sent to Kafka directly: they keep silence
     * (the tests' heartbeat timeout is 4 s) from deciding, so only the will may.
     */
    private ScheduledFuture<?> reportingOn(String uid, Instant connection) {
        GatewayReport late = GatewayReports.report(uid, "presence").onConnection(connection);
        return clock.scheduleWithFixedDelay(() -> kafka.send(TENANT_A, late), 0, 200, TimeUnit.MILLISECONDS);
    }

    /** Waits until the appliance's link-lost will is recorded; when the test saw it. */
    private Instant awaitWill(String uid, Duration willDelay) {
        await("the will recorded")
                .atMost(willDelay.plusSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> column(uid, "lost_connection") != null);
        return Instant.now();
    }

    /** The gateway's MqttLink with a device certificate of the test edge CA, through the cuttable path. */
    private MqttLink gateway(String uid, Duration willDelay) throws Exception {
        Path state = Files.createDirectories(Path.of("target", "presence", uid).toAbsolutePath());
        MqttLink link = new MqttLink(uid, state, trust(), ProxyRoutes.DIRECT, null, willDelay).start();
        links.add(link);
        link.use(identity(uid));
        await("connected").atMost(Duration.ofSeconds(30)).until(link::ready);
        return link;
    }

    private DeviceIdentity identity(String uid) {
        EdgePki.Issued issued = EdgeLinkTestResource.pki().device(TENANT_A, uid);
        return new DeviceIdentity(
                TENANT_A,
                uid,
                issued.certificate(),
                issued.key(),
                issued.certFile(),
                issued.keyFile(),
                "ssl://localhost:" + path.port(),
                Instant.MAX,
                "presence-" + uid);
    }

    private static TrustManagerFactory trust() {
        return TlsMaterial.trustManagers(EdgeLinkTestResource.pki().platformCa().certFile());
    }

    /** A report as the gateway sends it: made on the live connection. */
    private static void report(MqttLink link, String uid, String type) throws Exception {
        GatewayReport report = GatewayReports.report(uid, "presence").onConnection(link.connectedAt());
        link.publish(
                new CloudEvent(
                        UUID.randomUUID().toString(),
                        "/edgefleet/edge-gateway",
                        type,
                        uid,
                        TENANT_A,
                        Instant.now(),
                        EventJson.write(report)),
                Duration.ofSeconds(10));
    }

    private static void reportQuietly(MqttLink link, String uid) {
        try {
            if (link.ready()) {
                report(link, uid, EventTypes.GATEWAY_HEARTBEAT);
            }
        } catch (Exception e) {
            // the link is down for a moment: the next one goes out after the reconnect
        }
    }

    /** The will as the broker publishes it and the bridge relays it (tenant and subject from the topic). */
    private static CloudEvent will(String uid, Instant connectedAt) {
        return new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/edge-gateway",
                EventTypes.GATEWAY_LINK_LOST,
                uid,
                TENANT_A,
                connectedAt,
                EventJson.write(new LinkLost(uid, connectedAt, 2)));
    }

    // ---- what the service holds

    private Instant column(String uid, String name) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement st =
                        c.prepareStatement("select " + name + " from appliance where tenant = ? and uid = ?")) {
            st.setString(1, TENANT_A);
            st.setString(2, uid);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                var at = rs.getTimestamp(1);
                return at == null ? null : at.toInstant();
            }
        }
    }

    private double linkLostUnreachable() {
        Counter counter =
                metrics.find("edgefleet.appliance.link.lost.unreachable").counter();
        return counter == null ? 0 : counter.count();
    }
}
