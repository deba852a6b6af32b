package io.edgefleet.appliance;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.ApplianceStatus;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.appliance.PairingTest.awaitStatus;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A deleted appliance stays deleted: a report its gateway sent before the delete that reaches this service after it
 * (the race GatewayEndToEndTest met) brings nothing back; a report sent well after the delete is a new discovery.
 */
@QuarkusTest
@TestInfrastructure
class DeletedApplianceReportTest {

    @Inject
    AgroalDataSource db;

    @Test
    void aReportSentBeforeTheDeleteArrivingAfterItDoesNothingAndALaterOneIsANewDiscovery() throws Exception {
        String uid = "deleted-" + UUID.randomUUID().toString().substring(0, 8);
        register(TENANT_A, uid, "{}");
        try (GatewayReports reports = new GatewayReports()) {
            reports.send(TENANT_A, GatewayReports.report(uid, "before"));
            awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(60));
            Instant sentBeforeTheDelete = Instant.now();
            admin(TENANT_A).delete("/v1/appliances/" + uid).then().statusCode(204);

            // late: sent before the delete, read after it; wait until it was handled (the consumer's inbox)
            String late = UUID.randomUUID().toString();
            reports.send(TENANT_A, GatewayReports.report(uid, "late"), late, sentBeforeTheDelete);
            awaitHandled(late);
            assertEquals(0, rows(uid), "the deleted uid is not back, not even as a discovered appliance");
            viewer(TENANT_A).get("/v1/appliances/" + uid).then().statusCode(404);

            // a report dated after the edge's cut-off (appliance.deletion.cut-off, 60 s): a new discovery
            String fresh = UUID.randomUUID().toString();
            reports.send(
                    TENANT_A,
                    GatewayReports.report(uid, "new"),
                    fresh,
                    Instant.now().plusSeconds(120));
            await("the new report kept as a discovered appliance")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> rows(uid) == 1);
        }
    }

    private void awaitHandled(String eventId) {
        await("the report handled").atMost(Duration.ofSeconds(30)).until(() -> handled(eventId));
    }

    private boolean handled(String eventId) throws SQLException {
        try (var c = db.getConnection();
                var st = c.prepareStatement("select count(*) from processed_event where event_id = ?")) {
            st.setString(1, eventId);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    private long rows(String uid) throws SQLException {
        try (var c = db.getConnection();
                var st = c.prepareStatement("select count(*) from appliance where tenant = ? and uid = ?")) {
            st.setString(1, TENANT_A);
            st.setString(2, uid);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
