package io.edgefleet.policy;

import io.edgefleet.testsupport.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The served OpenAPI document is the checked-in contract the SDK is generated from, in the shared style. */
@QuarkusTest
class OpenApiContractTest {

    @Test
    void servedDocumentIsTheCheckedInOne() {
        String served = given().get("/q/openapi").then().statusCode(200).extract().asString();
        OpenApiContract.assertCheckedIn(served, Path.of("src/main/openapi/openapi.yaml"));
    }

    @Test
    void everyOperationKeepsTheSharedStyle() {
        String served = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        assertEquals(List.of(), OpenApiContract.styleViolations(served));
    }
}
