package io.edgefleet.appliance;

import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class ApplianceApiTest {

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static RequestSpecification admin(String tenant) {
        return as(TestTokens.admin(tenant));
    }

    @Test
    void registersAndReadsBackAnAppliance() {
        admin(TENANT_A).body("{\"uid\":\"api-hospital-1\",\"tags\":{\"name\":\"Hospital 1\",\"region\":\"eu\"}}")
                .post("/v1/appliances")
                .then().statusCode(201)
                .header("Location", containsString("/v1/appliances/api-hospital-1"))
                .body("uid", equalTo("api-hospital-1"))
                .body("name", equalTo("Hospital 1"))
                .body("status", equalTo("UNPAIRED"))
                .body("tags.region", equalTo("eu"))
                .body("createdAt", notNullValue());

        as(TestTokens.viewer(TENANT_A)).get("/v1/appliances/api-hospital-1")
                .then().statusCode(200).body("status", equalTo("UNPAIRED")).body("name", equalTo("Hospital 1"));
    }

    @Test
    void health() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", notNullValue());
    }
}
