package io.edgefleet.appliance;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.kit.scheduling.JobLock;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reports are taken a poll at a time (one transaction, one statement for the heartbeats that change nothing): a burst
 * of heartbeats from many appliances moves only when each was seen, publishes no event, and leaves every other column
 * as it was; a heartbeat that does change something, in the same burst, is applied and published as before; a
 * re-sent event is applied once; a report of an appliance of another tenant with the same uid touches only that one.
 */
@QuarkusTest
@TestInfrastructure
class ReportBatchTest {

    private static final int APPLIANCES = 40;
    private static final int HEARTBEATS_EACH = 3;
    private static final String CONSUMER_LABEL = "consumer=\"appliance-service/gateway-reports\"";

    @Inject
    AgroalDataSource db;

    @Test
    void aBurstOfHeartbeatsOnlyMovesWhenEachApplianceWasSeen() throws Exception {
        String prefix = "batch-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < APPLIANCES; i++) {
            uids.add(prefix + i);
            register(TENANT_A, prefix + i, """
                    {"site": "shop-%d"}""".formatted(i));
        }
        register(TENANT_B, prefix + 0, "{}"); // the same uid in another tenant
        String changing = prefix + 7;
        try (Connection monitorLock = db.getConnection();
                GatewayReports reports = new GatewayReports();
                TopicReader events = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            // the heartbeat monitor (4 s timeout in tests) must not turn appliances UNREACHABLE while a slow machine
            // pairs the forty: this test holds its lock, as another instance in the middle of a sweep would
            holdHeartbeatMonitorLock(monitorLock);
            for (String uid : uids) {
                reports.send(TENANT_A, GatewayReports.report(uid, "host-" + uid));
            }
            awaitRows(
                    "every appliance paired",
                    () -> count(
                                    "select count(*) from appliance.appliance where tenant = ? and uid like ? and status = 'READY'",
                                    TENANT_A,
                                    prefix + "%")
                            == APPLIANCES);
            Map<String, String> before = rows(TENANT_A, prefix);
            String tenantBBefore = rows(TENANT_B, prefix).get(prefix + 0);
            double applied = MetricsApiTest.value("edgefleet_events_total", CONSUMER_LABEL, "outcome=\"applied\"");
            double duplicates = MetricsApiTest.value("edgefleet_events_total", CONSUMER_LABEL, "outcome=\"duplicate\"");

            Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Instant newest = sentAt.plusMillis(HEARTBEATS_EACH - 1);
            String repeated = UUID.randomUUID().toString();
            for (int beat = 0; beat < HEARTBEATS_EACH; beat++) {
                for (String uid : uids) {
                    String id = uid.equals(prefix + 3) && beat == 1
                            ? repeated
                            : UUID.randomUUID().toString();
                    reports.send(TENANT_A, GatewayReports.report(uid, "host-" + uid), id, sentAt.plusMillis(beat));
                }
            }
            reports.send(TENANT_A, GatewayReports.report(prefix + 3, "host-" + prefix + 3), repeated, newest);
            reports.send(
                    TENANT_A,
                    GatewayReports.report(changing, "renamed-host"),
                    UUID.randomUUID().toString(),
                    newest);

            awaitRows(
                    "every appliance seen at its newest report",
                    () -> count(
                                    "select count(*) from appliance.appliance where tenant = ? and uid like ?"
                                            + " and last_report_at = ?",
                                    TENANT_A,
                                    prefix + "%",
                                    java.sql.Timestamp.from(newest))
                            == APPLIANCES);
            Map<String, String> after = rows(TENANT_A, prefix);
            for (String uid : uids) {
                if (!uid.equals(changing)) {
                    assertEquals(before.get(uid), after.get(uid), uid + ": nothing but the times changed");
                }
            }
            assertEquals(true, after.get(changing).contains("renamed-host"), after.get(changing));
            assertEquals(tenantBBefore, rows(TENANT_B, prefix).get(prefix + 0), "the other tenant's row untouched");

            List<String> updated = events
                    .settle(
                            r -> r.event().subject().startsWith(prefix)
                                    && r.event().type().equals(EventTypes.APPLIANCE_UPDATED),
                            Duration.ofSeconds(2))
                    .stream()
                    .map(r -> r.event().tenant() + "/" + r.event().subject())
                    .toList();
            assertEquals(List.of(TENANT_A + "/" + changing), updated, "an event only for the appliance that changed");
            int sent = APPLIANCES * HEARTBEATS_EACH + 2;
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> MetricsApiTest.value("edgefleet_events_total", CONSUMER_LABEL, "outcome=\"applied\"")
                                    + MetricsApiTest.value(
                                            "edgefleet_events_total", CONSUMER_LABEL, "outcome=\"duplicate\"")
                            >= applied + duplicates + sent);
            assertEquals(
                    applied + sent - 1,
                    MetricsApiTest.value("edgefleet_events_total", CONSUMER_LABEL, "outcome=\"applied\""),
                    "each report applied once");
            assertEquals(
                    duplicates + 1,
                    MetricsApiTest.value("edgefleet_events_total", CONSUMER_LABEL, "outcome=\"duplicate\""),
                    "the re-sent event skipped");
            monitorLock.rollback(); // the monitor sweeps again
        }
    }

    private static void holdHeartbeatMonitorLock(Connection c) throws Exception {
        int[] key = JobLock.key("/edgefleet/appliance-service", "heartbeat-monitor");
        c.setAutoCommit(false); // the lock lasts as long as this transaction: rolled back when the connection closes
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?, ?)")) {
            lock.setInt(1, key[0]);
            lock.setInt(2, key[1]);
            lock.execute();
        }
    }

    /** Each appliance's row as text, without the columns a heartbeat moves. */
    private Map<String, String> rows(String tenant, String prefix) throws Exception {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement st = c.prepareStatement(
                        "select uid, (to_jsonb(a) - 'last_seen_at' - 'last_report_at'"
                                + " - 'updated_at' - 'version')::text from appliance.appliance a where tenant = ? and uid like ?")) {
            st.setString(1, tenant);
            st.setString(2, prefix + "%");
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return rows;
    }

    private long count(String sql, Object... parameters) {
        try (Connection c = db.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitRows(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(condition);
    }
}
