package io.edgefleet.appliance;

import io.edgefleet.events.payload.EdgeIdentity;
import io.edgefleet.testsupport.OpenApiContractChecks;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The served OpenAPI document is the checked-in contract the SDK is generated from, in the shared style. */
@QuarkusTest
@TestInfrastructure
class OpenApiContractTest extends OpenApiContractChecks {

    /** EdgeIdentityStatus is written out in application.properties (the enum lives in the events module). */
    @Test
    void edgeIdentityStatusListsTheEnumsValues() {
        List<String> documented = given().accept("application/json")
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("components.schemas.EdgeIdentityStatus.enum", String.class);
        assertEquals(Arrays.stream(EdgeIdentity.Status.values()).map(Enum::name).toList(), documented);
    }
}
