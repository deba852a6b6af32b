package io.edgefleet.appliance;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.BridgeLink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.appliance.PairingTest.awaitStatus;
import static io.edgefleet.appliance.PairingTest.statusOf;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heartbeat sweep trusts silence only while the edge link is trusted: a second, test-driven bridge reports its link
 * on gateway-reports beside the real bridge process of the tests (heartbeat timeout 4 s, sweeps every second). While it
 * is live and down, or linked only just now, a silent READY appliance stays READY; once it is linked for a timeout, has
 * said it stopped, or has gone stale (it no longer votes: the real bridge, linked, decides), the appliance turns
 * UNREACHABLE. Likewise while the broker's connected-client count it reports still rises after a restart, until the
 * count stood still for a timeout. The statuses are not reports: they move none of the consumer's event counters.
 */
@QuarkusTest
@TestInfrastructure
class EdgeLinkGraceTest {

    private static final Duration LONG_PAST_TIMEOUT = Duration.ofSeconds(8); // timeout 4 s, a sweep every second
    private static final String CONSUMER_LABEL = "consumer=\"appliance-service/gateway-reports\"";

    @Inject
    AgroalDataSource db;

    @Inject
    MeterRegistry metrics;

    private final String bridge = "test-bridge-" + UUID.randomUUID();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    private GatewayReports reports;
    private ScheduledFuture<?> reporting;

    @BeforeEach
    void connect() {
        reports = new GatewayReports();
    }

    @AfterEach
    void forgetTheTestBridge() throws SQLException {
        clock.shutdownNow();
        reports.close();
        try (Connection c = db.getConnection();
                PreparedStatement st = c.prepareStatement("delete from bridge_link where bridge_id = ?")) {
            st.setString(1, bridge); // tidy: a stale test bridge would not vote anyway
            st.executeUpdate();
        }
    }

    @Test
    void aSilentApplianceStaysReadyWhileALiveBridgeIsDownAndTurnsUnreachableOnceItIsUpForATimeout() throws Exception {
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        double skippedBefore = skipped("bridge_unlinked");
        double eventsBefore = MetricsApiTest.value("edgefleet_events_total", CONSUMER_LABEL);
        reportEverySecond(false, () -> anHourAgo); // the broker went away an hour ago
        awaitRecorded(false);
        Instant recorded = reportedAt();
        await("more statuses recorded")
                .atMost(Duration.ofSeconds(20))
                .until(() -> reportedAt().isAfter(recorded.plusSeconds(2)));
        assertEquals(
                eventsBefore,
                MetricsApiTest.value("edgefleet_events_total", CONSUMER_LABEL),
                "link statuses are not reports: not applied, ignored, duplicate nor dead-lettered");

        String uid = silentReadyAppliance("grace-down");
        await("stays READY while the link is down")
                .during(LONG_PAST_TIMEOUT)
                .atMost(LONG_PAST_TIMEOUT.plusSeconds(10))
                .until(() -> statusOf(TENANT_A, uid), equalTo("READY"));
        assertTrue(skipped("bridge_unlinked") > skippedBefore, "the held-back sweeps are counted by reason");

        reportEverySecond(true, () -> anHourAgo); // linked for an hour: silence means the appliance is gone
        awaitStatus(TENANT_A, uid, ApplianceStatus.UNREACHABLE, Duration.ofSeconds(20));
    }

    @Test
    void aLinkUpOnlyJustNowHoldsTheSweepBackUntilTheBridgeSaysItStopped() throws Exception {
        reportEverySecond(true, Instant::now); // a link that keeps reconnecting: never up for a timeout
        awaitRecorded(true);
        String uid = silentReadyAppliance("grace-recent");
        await("stays READY while the link is up only recently")
                .during(LONG_PAST_TIMEOUT)
                .atMost(LONG_PAST_TIMEOUT.plusSeconds(10))
                .until(() -> statusOf(TENANT_A, uid), equalTo("READY"));

        // the bridge stops (a rolling update, a retired instance): its last word, and it no longer counts at once
        reporting.cancel(false);
        clock.submit(
                        () -> { // on the reporting thread: after any status it was sending
                            Instant now = Instant.now();
                            send(new BridgeLink(bridge, false, now, now, true));
                        })
                .get();
        awaitStatus(TENANT_A, uid, ApplianceStatus.UNREACHABLE, Duration.ofSeconds(20));
    }

    @Test
    void aBridgeGoneStaleWithoutStoppingNoLongerVotesWhileAnotherIsLive() {
        reportEverySecond(false, Instant::now);
        awaitRecorded(false);
        String uid = silentReadyAppliance("grace-stale");
        await("stays READY while the test bridge is live and down")
                .during(LONG_PAST_TIMEOUT)
                .atMost(LONG_PAST_TIMEOUT.plusSeconds(10))
                .until(() -> statusOf(TENANT_A, uid), equalTo("READY"));

        // it crashes: no last word. Once its status is older than the freshness bound (15 s) the real bridge decides
        reporting.cancel(false);
        awaitStatus(TENANT_A, uid, ApplianceStatus.UNREACHABLE, Duration.ofSeconds(40));
    }

    @Test
    void aFleetStillReconnectingAfterABrokerRestartHoldsTheSweepUntilTheClientCountStandsStill() {
        // the broker restarted a while ago (the link is up for longer than a timeout), 3 of 10 clients are back and the
        // count still rises: the silent appliance may be one still waiting for its TLS handshake
        Instant relinked = Instant.now().minus(Duration.ofMinutes(2));
        double skippedBefore = skipped("clients_reconnecting");
        reportEverySecond(() -> new BridgeLink(bridge, true, relinked, Instant.now(), false, 3, 10, Instant.now()));
        await("the test bridge's client count recorded")
                .atMost(Duration.ofSeconds(20))
                .until(() -> Integer.valueOf(3).equals(column("broker_clients")));
        String uid = silentReadyAppliance("grace-reconnecting");
        await("stays READY while the broker's client count rises")
                .during(LONG_PAST_TIMEOUT)
                .atMost(LONG_PAST_TIMEOUT.plusSeconds(10))
                .until(() -> statusOf(TENANT_A, uid), equalTo("READY"));
        assertTrue(skipped("clients_reconnecting") > skippedBefore, "held back for the reconnecting fleet");

        // the count stands still (7 never came back): a timeout later, silence counts again
        Instant lastRise = Instant.now();
        reportEverySecond(() -> new BridgeLink(bridge, true, relinked, Instant.now(), false, 4, 10, lastRise));
        awaitStatus(TENANT_A, uid, ApplianceStatus.UNREACHABLE, Duration.ofSeconds(20));
    }

    /** A registered appliance whose gateway reported once and then fell silent. */
    private String silentReadyAppliance(String prefix) {
        String uid = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        register(TENANT_A, uid, "{}");
        reports.send(TENANT_A, GatewayReports.report(uid, prefix));
        // generous: the first test of the suite may meet the consumer still taking its partitions
        awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(60));
        return uid;
    }

    /** The test bridge reports its link every second from now on (as a bridge does every interval). */
    private void reportEverySecond(boolean linked, Supplier<Instant> since) {
        reportEverySecond(() -> new BridgeLink(bridge, linked, since.get(), Instant.now(), false));
    }

    private void reportEverySecond(Supplier<BridgeLink> status) {
        if (reporting != null) {
            reporting.cancel(false);
        }
        reporting = clock.scheduleWithFixedDelay(() -> send(status.get()), 0, 1, TimeUnit.SECONDS);
    }

    private void send(BridgeLink status) {
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/edge-bridge",
                EventTypes.BRIDGE_LINK,
                bridge,
                BridgeLink.PLATFORM_TENANT,
                status.sentAt(),
                EventJson.write(status));
        reports.sendRaw(KafkaCloudEvents.toRecord(Topics.GATEWAY_REPORTS, bridge, event));
    }

    private void awaitRecorded(boolean linked) {
        await("the test bridge's status recorded")
                .atMost(Duration.ofSeconds(20))
                .until(() -> Boolean.valueOf(linked).equals(column("linked")));
    }

    private Instant reportedAt() throws SQLException {
        Object at = column("extract(epoch from reported_at) * 1000");
        return at == null ? Instant.EPOCH : Instant.ofEpochMilli(((Number) at).longValue());
    }

    private Object column(String name) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement st = c.prepareStatement("select " + name + " from bridge_link where bridge_id = ?")) {
            st.setString(1, bridge);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    private double skipped(String reason) {
        Counter counter = metrics.find("edgefleet.heartbeat.sweeps.skipped")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
