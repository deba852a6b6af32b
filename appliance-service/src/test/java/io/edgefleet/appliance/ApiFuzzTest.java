package io.edgefleet.appliance;

import io.edgefleet.testsupport.ApiFuzzer;
import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.restassured.RestAssured.given;

/** Hostile requests for every operation of the served document (ApiFuzzer): never a 5xx, every refusal a problem. */
@QuarkusTest
@TestInfrastructure
class ApiFuzzTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void noRequestBreaksTheApi() throws Exception {
        String admin = TestTokens.admin(TENANT_A);
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body("""
                {"uid": "fuzz-target", "tags": {"name": "fuzzed"}}""")
                .post("/v1/appliances")
                .then()
                .statusCode(201);
        String tokenId = given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body("""
                {"description": "fuzzed", "maxUses": 5}""")
                .post("/v1/registration-tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        ApiFuzzer.ofServedDocument(base, () -> admin)
                .pathValue("uid", "fuzz-target")
                .pathValue("id", tokenId)
                .assertNothingBreaks("appliance-service", 1300);
    }
}
