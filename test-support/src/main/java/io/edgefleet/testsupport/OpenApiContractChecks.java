package io.edgefleet.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A service's API contract as tests (docs/api.md): extend it in a {@code @QuarkusTest} class of the service. The
 * served document must be the checked-in {@code src/main/openapi/openapi.yaml} the SDK is generated from, and keep
 * the shared style ({@link OpenApiContract}).
 */
public abstract class OpenApiContractChecks {

    @Test
    void servedDocumentIsTheCheckedInOne() {
        String served =
                given().get("/q/openapi").then().statusCode(200).extract().asString();
        OpenApiContract.assertCheckedIn(served, Path.of("src/main/openapi/openapi.yaml"));
    }

    @Test
    void everyOperationKeepsTheSharedStyle() {
        String served = given().accept("application/json")
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(List.of(), OpenApiContract.styleViolations(served));
    }
}
