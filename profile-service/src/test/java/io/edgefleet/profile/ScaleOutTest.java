package io.edgefleet.profile;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.testsupport.ServiceProcess;
import io.edgefleet.testsupport.TestTokens;
import io.edgefleet.testsupport.TopicReader;
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

import static io.edgefleet.profile.Api.admin;
import static io.edgefleet.profile.Api.core;
import static io.edgefleet.profile.Api.obj;
import static io.edgefleet.profile.Api.profile;
import static io.edgefleet.profile.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two instances of profile-service on the same Kafka and PostgreSQL: this test application and the packaged service
 * as a second process ({@link ServiceProcess}). A write on either is read alike on both, each write's event is
 * published once (whichever instance's outbox relay sends it), and tenant isolation holds on both.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutTest {

    private ServiceProcess second;
    private TopicReader profileEvents;

    @BeforeAll
    void startSecondInstance() {
        second = ServiceProcess.start("profile-service-2", List.of("profile."), Map.of(), Duration.ofSeconds(180));
        profileEvents = new TopicReader(Topics.PROFILE_EVENTS);
    }

    @AfterAll
    void stopSecondInstance() {
        profileEvents.close();
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

    private String read(RequestSpecification as, String path) {
        return as.get(path).then().statusCode(200).extract().asString();
    }

    @Test
    void eitherInstanceAnswersAlikeAndEachWriteIsPublishedOnce() {
        String id = onSecond(TestTokens.admin(TENANT_A))
                .body(profile("scale-out-edge", "FULL", core()))
                .post("/v1/profiles")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        assertEquals(
                read(viewer(TENANT_A), "/v1/profiles/" + id),
                read(onSecond(TestTokens.viewer(TENANT_A)), "/v1/profiles/" + id));
        assertEquals(
                read(viewer(TENANT_A), "/v1/profiles/" + id + "/resolved"),
                read(onSecond(TestTokens.viewer(TENANT_A)), "/v1/profiles/" + id + "/resolved"));

        // a new version on the first instance, read on the second
        String v2 = admin(TENANT_A)
                .body(obj("version", "1.1.0", "description", "second"))
                .post("/v1/profiles/" + id + "/versions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        onSecond(TestTokens.viewer(TENANT_A))
                .get("/v1/profiles/" + v2)
                .then()
                .statusCode(200)
                .body("version", equalTo("1.1.0"))
                .body("description", equalTo("second"));
        assertEquals(
                read(viewer(TENANT_A), "/v1/profiles?name=scale-out-edge&size=100"),
                read(onSecond(TestTokens.viewer(TENANT_A)), "/v1/profiles?name=scale-out-edge&size=100"),
                "the same list from either instance");

        // both instances relay the outbox: each write's event is on the topic with one id, never two events
        var created = Api.awaitDistinct(
                profileEvents,
                r -> r.event().subject().equals(id) && r.event().type().equals(EventTypes.PROFILE_CREATED),
                1,
                Duration.ofSeconds(30));
        var versioned = Api.awaitDistinct(
                profileEvents,
                r -> r.event().subject().equals(v2) && r.event().type().equals(EventTypes.PROFILE_VERSION_CREATED),
                1,
                Duration.ofSeconds(30));
        // read on while both relays poll several times more: still one event
        assertEquals(
                1,
                Api.distinct(profileEvents.settle(
                                r -> r.event().subject().equals(id)
                                        && r.event().type().equals(EventTypes.PROFILE_CREATED),
                                Duration.ofSeconds(2)))
                        .size());
        assertEquals(1, created.size());
        assertEquals(1, versioned.size());

        // tenant isolation is the same on both
        viewer(TENANT_B).get("/v1/profiles/" + id).then().statusCode(404);
        onSecond(TestTokens.viewer(TENANT_B)).get("/v1/profiles/" + id).then().statusCode(404);
        onSecond(TestTokens.admin(TENANT_B)).delete("/v1/profiles/" + v2).then().statusCode(404);
        onSecond(TestTokens.admin(TENANT_A)).delete("/v1/profiles/" + v2).then().statusCode(204);
        viewer(TENANT_A).get("/v1/profiles/" + v2).then().statusCode(404);
    }
}
