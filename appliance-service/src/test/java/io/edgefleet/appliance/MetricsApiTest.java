package io.edgefleet.appliance;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.testsupport.Eventually;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator sees at {@code /q/metrics} (Prometheus' format): appliances by status, the outbox backlog, events
 * taken by each consumer, command round trips and the Kafka consumers' lag.
 */
@QuarkusTest
@TestInfrastructure
class MetricsApiTest {

    @Inject
    AgroalDataSource dataSource;

    private static final String REPORTS = "consumer=\"appliance-service/gateway-reports\"";

    @Test
    void registrationsAndReportsShowInTheMetrics() {
        double applied = value("edgefleet_events_total", REPORTS, "outcome=\"applied\"");
        double published = value("edgefleet_outbox_published_total");

        String uid = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        register(TENANT_A, uid, "{}");
        admin(TENANT_A).get("/v1/appliances/" + uid).then().statusCode(200);
        // sampled every second in tests; other tests' appliances change status meanwhile, so the gauge is compared
        // with the table itself, not with a count taken before
        assertTrue(
                Eventually.holds(
                        Duration.ofSeconds(20),
                        Duration.ofMillis(300),
                        () -> value("edgefleet_appliances", "status=\"UNPAIRED\"") == unpairedInTheTable()),
                "the UNPAIRED gauge counts the table");
        assertTrue(unpairedInTheTable() >= 1, "our appliance is unpaired");
        Eventually.holds(
                Duration.ofSeconds(20),
                Duration.ofMillis(300),
                () -> value("edgefleet_outbox_published_total") > published);
        assertTrue(value("edgefleet_outbox_published_total") > published, "its event left the outbox");

        try (GatewayReports reports = new GatewayReports()) {
            reports.send(TENANT_A, GatewayReports.report(uid, "metrics"));
        }
        Eventually.holds(
                Duration.ofSeconds(20),
                Duration.ofMillis(300),
                () -> value("edgefleet_events_total", REPORTS, "outcome=\"applied\"") > applied);
        assertTrue(value("edgefleet_events_total", REPORTS, "outcome=\"applied\"") > applied, "the report was counted");

        String metrics = scrape();
        for (String expected : List.of(
                "edgefleet_appliances{status=\"UNREACHABLE\"}", // every status, 0 included
                "edgefleet_outbox_pending ",
                "edgefleet_outbox_oldest_pending_seconds ",
                "edgefleet_outbox_relay_failing ",
                "kafka_consumer_fetch_manager_records_lag_max")) {
            assertTrue(metrics.contains(expected), "metrics name " + expected);
        }
        assertTrue(!metrics.contains(uid), "no appliance uid (or other unbounded value) becomes a label");
    }

    @Test
    void requestsAreTimedByOperationAndStatusNeverByRawPath() {
        String uid = "metrics-http-" + UUID.randomUUID().toString().substring(0, 8);
        String got = "uri=\"/v1/appliances/{uid}\"";
        double gets = value("http_server_requests_seconds_count", got, "method=\"GET\"", "status=\"404\"");
        double invalid = value(
                "http_server_requests_seconds_count", "uri=\"/v1/appliances\"", "method=\"POST\"", "status=\"400\"");
        double tooLarge = value("http_server_requests_seconds_count", "status=\"413\"");
        double unknown = value("http_server_requests_seconds_count", "uri=\"NOT_FOUND\"");

        admin(TENANT_A).get("/v1/appliances/" + uid).then().statusCode(404);
        admin(TENANT_A).body("""
                {"uid": ""}""").post("/v1/appliances").then().statusCode(400);
        // refused by the HTTP layer on its declared length, before REST reads it
        admin(TENANT_A)
                .body("""
                        {"uid": "%s", "tags": {"pad": "%s"}}""".formatted(uid, "p".repeat(70_000)))
                .post("/v1/appliances")
                .then()
                .statusCode(413);
        given().get("/v1/" + uid + "/made-up").then().statusCode(404);

        assertTrue(
                Eventually.holds(
                        Duration.ofSeconds(10),
                        Duration.ofMillis(200),
                        () -> value("http_server_requests_seconds_count", got, "method=\"GET\"", "status=\"404\"")
                                        > gets
                                && value(
                                                "http_server_requests_seconds_count",
                                                "uri=\"/v1/appliances\"",
                                                "method=\"POST\"",
                                                "status=\"400\"",
                                                "outcome=\"CLIENT_ERROR\"")
                                        > invalid
                                && value("http_server_requests_seconds_count", "status=\"413\"") > tooLarge
                                && value("http_server_requests_seconds_count", "uri=\"NOT_FOUND\"") > unknown),
                "each request counted under its operation's template and status");
        assertTrue(!scrape().contains(uid), "no path, uid or made-up route becomes a label");
    }

    private long unpairedInTheTable() {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("select count(*) from appliance where registered and status = 'UNPAIRED'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of the samples of {@code name} whose labels contain every one of {@code labels} (0 when none). */
    static double value(String name, String... labels) {
        return scrape().lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> List.of(labels).stream().allMatch(line::contains))
                .map(line -> line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line) // no exemplar
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
