package io.edgefleet.appliance;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.kit.scheduling.JobLock;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.ServiceProcess;
import io.edgefleet.testsupport.TestTokens;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.appliance.PairingTest.about;
import static io.edgefleet.appliance.PairingTest.awaitStatus;
import static io.edgefleet.appliance.PairingTest.statusOf;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two instances of appliance-service on the same Kafka and PostgreSQL: this test application and the packaged service
 * as a second process ({@link ServiceProcess}). The heartbeat monitor runs on one of them at a time, so a silent
 * appliance turns UNREACHABLE once, with one event; either instance answers a request alike.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutTest {

    @Inject
    AgroalDataSource db;

    private ServiceProcess second;
    private GatewayReports reports;
    private TopicReader applianceEvents;

    @BeforeAll
    void startSecondInstance() {
        second = ServiceProcess.start(
                "appliance-service-2",
                List.of("appliance.", "quarkus.http.ssl.certificate."),
                Map.of(),
                Duration.ofSeconds(180));
        reports = new GatewayReports();
        applianceEvents = new TopicReader(Topics.APPLIANCE_EVENTS);
    }

    @AfterAll
    void stopSecondInstance() {
        reports.close();
        applianceEvents.close();
        second.close();
    }

    private RequestSpecification onSecond(String token) {
        return RestAssured.given()
                .baseUri("http://127.0.0.1")
                .port(second.httpPort())
                .auth()
                .oauth2(token)
                .contentType("application/json");
    }

    @Test
    void silentAppliancesTurnUnreachableOnceWithTwoInstances() {
        List<String> uids = List.of("scale-hb-1", "scale-hb-2", "scale-hb-3", "scale-hb-4");
        for (String uid : uids) {
            onSecond(TestTokens.admin(TENANT_A))
                    .body("""
                            {"uid":"%s"}""".formatted(uid))
                    .post("/v1/appliances")
                    .then()
                    .statusCode(201);
            reports.send(TENANT_A, GatewayReports.report(uid, "edge-" + uid));
        }
        for (String uid : uids) {
            awaitStatus(TENANT_A, uid, ApplianceStatus.UNREACHABLE, Duration.ofSeconds(40)); // timeout 4 s, sweeps 1 s
        }
        // both instances sweep every second; each appliance's UNREACHABLE event is there once
        for (String uid : uids) {
            var events = applianceEvents.settle(
                    about(TENANT_A, uid).and(r -> r.event().type().equals(EventTypes.APPLIANCE_UNREACHABLE)),
                    Duration.ofSeconds(3));
            assertEquals(1, events.size(), "one UNREACHABLE event for " + uid);
        }
    }

    @Test
    void whileAnotherHoldsTheHeartbeatLockNeitherInstanceSweeps() throws Exception {
        int[] key = JobLock.key("/edgefleet/appliance-service", "heartbeat-monitor");
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, key[0]);
                lock.setInt(2, key[1]);
                lock.execute(); // as a third instance in the middle of a sweep
            }
            admin(TENANT_A).body("""
                            {"uid":"scale-lock-1"}""").post("/v1/appliances").then().statusCode(201);
            reports.send(TENANT_A, GatewayReports.report("scale-lock-1", "edge-lock"));
            awaitStatus(TENANT_A, "scale-lock-1", ApplianceStatus.READY, Duration.ofSeconds(20));
            // twice the heartbeat timeout, eight sweeps of each instance
            Eventually.stays(
                    "no sweep ran while the lock was held",
                    Duration.ofSeconds(8),
                    Duration.ofMillis(500),
                    () -> "READY".equals(statusOf(TENANT_A, "scale-lock-1")));
            c.rollback(); // the holder ends (as when it is killed): the lock goes with its transaction
        }
        awaitStatus(TENANT_A, "scale-lock-1", ApplianceStatus.UNREACHABLE, Duration.ofSeconds(20));
    }

    @Test
    void eitherInstanceAnswersAlike() {
        onSecond(TestTokens.admin(TENANT_A))
                .body("""
                        {"uid":"scale-rw-1","tags":{"name":"Shop 1","region":"eu"}}""")
                .post("/v1/appliances")
                .then()
                .statusCode(201);
        String onFirst = viewer(TENANT_A)
                .get("/v1/appliances/scale-rw-1")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String onSecondInstance = onSecond(TestTokens.viewer(TENANT_A))
                .get("/v1/appliances/scale-rw-1")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(onFirst, onSecondInstance);

        admin(TENANT_A).body("""
                        {"tags":{"name":"Shop One"}}""").put("/v1/appliances/scale-rw-1/tags").then().statusCode(200);
        onSecond(TestTokens.viewer(TENANT_A))
                .get("/v1/appliances/scale-rw-1")
                .then()
                .statusCode(200)
                .body("tags.name", org.hamcrest.Matchers.equalTo("Shop One"));
        List<String> listedOnFirst = viewer(TENANT_A)
                .get("/v1/appliances?tag=region:eu&size=100")
                .then()
                .extract()
                .path("items.uid");
        List<String> listedOnSecond = onSecond(TestTokens.viewer(TENANT_A))
                .get("/v1/appliances?tag=region:eu&size=100")
                .then()
                .extract()
                .path("items.uid");
        assertEquals(listedOnFirst, listedOnSecond, "the same list from either instance");

        // tenant isolation is the same on both: another tenant's appliance is 404 on either
        viewer(TENANT_B).get("/v1/appliances/scale-rw-1").then().statusCode(404);
        onSecond(TestTokens.viewer(TENANT_B))
                .get("/v1/appliances/scale-rw-1")
                .then()
                .statusCode(404);
        onSecond(TestTokens.admin(TENANT_B))
                .delete("/v1/appliances/scale-rw-1")
                .then()
                .statusCode(404);
        onSecond(TestTokens.admin(TENANT_A))
                .delete("/v1/appliances/scale-rw-1")
                .then()
                .statusCode(204);
        viewer(TENANT_A).get("/v1/appliances/scale-rw-1").then().statusCode(404);
    }
}
