package io.edgefleet.cluster;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The service starts against real PostgreSQL and Kafka, migrates its schema and answers health and OpenAPI. */
@QuarkusTest
@TestInfrastructure
class ClusterServiceStartsTest {

    @Test
    void startsHealthyWithItsOwnSchema() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("info.title", equalTo("EdgeFleet cluster-service"));
        given().get("/v1/anything").then().statusCode(404);
    }
}
