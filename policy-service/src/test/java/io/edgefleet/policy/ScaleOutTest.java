package io.edgefleet.policy;

import io.edgefleet.testsupport.ServiceProcess;
import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.edgefleet.policy.Api.admin;
import static io.edgefleet.policy.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two instances of policy-service on the same Kafka and PostgreSQL: this test application and the packaged service as
 * a second process ({@link ServiceProcess}). A write on either is read alike on both (schedules computed the same,
 * in the policy's zone), and tenant isolation holds on both. That the ticker and the sweepers run on one instance at a
 * time is {@link ScheduledJobsLockTest}.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutTest {

    private ServiceProcess second;

    @BeforeAll
    void startSecondInstance() {
        second = ServiceProcess.start(
                "policy-service-2",
                List.of("policy.", "edgefleet.test."),
                // a short session: the group rebalances quickly when the second instance stops
                Map.of(
                        "mp.messaging.connector.smallrye-kafka.session.timeout.ms", "6000",
                        "mp.messaging.connector.smallrye-kafka.heartbeat.interval.ms", "1000"),
                Duration.ofSeconds(180));
    }

    @AfterAll
    void stopSecondInstance() {
        second.close();
    }

    private RequestSpecification onSecond(String token) {
        return RestAssured.given()
                .baseUri("http://127.0.0.1")
                .port(second.httpPort())
                .auth()
                .oauth2(token)
                .contentType(ContentType.JSON);
    }

    private static String read(RequestSpecification as, String path) {
        return as.get(path).then().statusCode(200).extract().asString();
    }

    @Test
    void eitherInstanceAnswersAlike() {
        String id = onSecond(TestTokens.admin(TENANT_A))
                .body(Map.of(
                        "name",
                        "scale-out-scan",
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("PENETRATION")),
                        "schedule",
                        Map.of("cron", "30 3 * * *", "timeZone", "America/New_York")))
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        assertEquals(
                read(viewer(TENANT_A), "/v1/policies/" + id),
                read(onSecond(TestTokens.viewer(TENANT_A)), "/v1/policies/" + id));

        // replaced on the first instance, read on the second: the new schedule's next run, computed by the first
        String nextRunAt = admin(TENANT_A)
                .body(Map.of(
                        "name",
                        "scale-out-scan",
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("CONFORMANCE")),
                        "schedule",
                        Map.of("cron", "15 1 * * *", "timeZone", "Asia/Tokyo")))
                .put("/v1/policies/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("nextRunAt");
        onSecond(TestTokens.viewer(TENANT_A))
                .get("/v1/policies/" + id)
                .then()
                .statusCode(200)
                .body("scan.kinds", equalTo(List.of("CONFORMANCE")))
                .body("schedule.timeZone", equalTo("Asia/Tokyo"))
                .body("nextRunAt", equalTo(nextRunAt));
        assertEquals(
                read(viewer(TENANT_A), "/v1/policies?kind=SCAN&size=100"),
                read(onSecond(TestTokens.viewer(TENANT_A)), "/v1/policies?kind=SCAN&size=100"),
                "the same list from either instance");

        // tenant isolation is the same on both
        viewer(TENANT_B).get("/v1/policies/" + id).then().statusCode(404);
        onSecond(TestTokens.viewer(TENANT_B)).get("/v1/policies/" + id).then().statusCode(404);
        onSecond(TestTokens.admin(TENANT_B)).delete("/v1/policies/" + id).then().statusCode(404);
        onSecond(TestTokens.viewer(TENANT_A))
                .delete("/v1/policies/" + id)
                .then()
                .statusCode(403);
        onSecond(TestTokens.admin(TENANT_A)).delete("/v1/policies/" + id).then().statusCode(204);
        viewer(TENANT_A).get("/v1/policies/" + id).then().statusCode(404);
    }
}
