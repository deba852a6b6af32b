package io.edgefleet.profile;

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
        String profileId = given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body("""
                {"name": "fuzz-target", "type": "FULL", "environment": "edge", "cloudType": "containerized",
                 "layers": [{"name": "ubuntu", "version": "22.04.x"}, {"name": "kubernetes", "version": "1.29.x"},
                            {"name": "calico", "version": "3.27.x"}, {"name": "local-path-provisioner", "version": "0.0.x"}]}""")
                .post("/v1/profiles")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        ApiFuzzer.ofServedDocument(base, () -> admin)
                .pathValue("id", profileId)
                .pathValue("registry", "builtin")
                .pathValue("name", "kubernetes")
                .assertNothingBreaks("profile-service", 1300);
    }
}
