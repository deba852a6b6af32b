package io.edgefleet.policy;

import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** REST calls as the tests make them: tokens per tenant and role, and waits for a run to end. */
public final class Api {

    public static final String PROBLEM = "application/problem+json";
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "SKIPPED", "EXPIRED");

    private Api() {}

    public static RequestSpecification admin(String tenant) {
        return given().auth().oauth2(TestTokens.admin(tenant)).contentType(ContentType.JSON);
    }

    public static RequestSpecification viewer(String tenant) {
        return given().auth().oauth2(TestTokens.viewer(tenant)).contentType(ContentType.JSON);
    }

    /** Waits until the run (at {@code path}, e.g. /v1/scans/{id}) has ended; returns it. */
    public static JsonPath awaitEnd(String tenant, String path, Duration timeout) {
        JsonPath run = Eventually.value(
                timeout,
                Duration.ofMillis(200),
                () -> viewer(tenant).get(path).then().statusCode(200).extract().jsonPath(),
                r -> ENDED.contains(r.getString("status")));
        JsonPath last = run;
        assertTrue(ENDED.contains(run.getString("status")), () -> path + " did not end: " + last.prettify());
        return run;
    }
}
