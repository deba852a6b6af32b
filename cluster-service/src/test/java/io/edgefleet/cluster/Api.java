package io.edgefleet.cluster;

import io.edgefleet.events.EventJson;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** REST calls as the tests make them: tokens per tenant and role, and waits for a cluster's status. */
public final class Api {

    public static final String PROBLEM = "application/problem+json";

    private Api() {}

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin(String tenant) {
        return as(TestTokens.admin(tenant));
    }

    public static RequestSpecification viewer(String tenant) {
        return as(TestTokens.viewer(tenant));
    }

    /** {@code value} as JSON (Jackson), for a part of a request body the test builds from values: a list of ids. */
    public static String json(Object value) {
        return new String(EventJson.write(value), StandardCharsets.UTF_8);
    }

    public static JsonPath cluster(String tenant, String id) {
        return viewer(tenant)
                .get("/v1/clusters/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    public static String status(String tenant, String id) {
        return cluster(tenant, id).getString("status");
    }

    /** Waits for the status; fails with the cluster's tasks when it does not come. */
    public static JsonPath awaitStatus(String tenant, String id, String status, Duration timeout) {
        // no early exit on FAILED: a cluster can resume by itself
        String now = Eventually.value(timeout, Duration.ofMillis(150), () -> status(tenant, id), status::equals);
        JsonPath cluster = cluster(tenant, id);
        assertEquals(
                status,
                now,
                () -> "cluster " + id + " is " + cluster.getString("status") + " (" + cluster.getString("statusReason")
                        + "); tasks:\n" + String.join("\n", taskLines(tenant, id)));
        return cluster;
    }

    public static List<Map<String, Object>> tasks(String tenant, String id) {
        return viewer(tenant)
                .get("/v1/clusters/" + id + "/events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }

    public static List<String> taskLines(String tenant, String id) {
        return tasks(tenant, id).stream()
                .map(t -> t.get("seq") + " " + t.get("kind") + " " + t.get("nodeId") + " " + t.get("status") + " "
                        + t.get("message"))
                .toList();
    }

    public static List<Map<String, Object>> nodes(String tenant, String id) {
        return viewer(tenant)
                .get("/v1/clusters/" + id + "/nodes")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }
}
