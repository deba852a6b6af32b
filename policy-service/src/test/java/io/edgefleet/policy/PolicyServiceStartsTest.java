package io.edgefleet.policy;

import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The skeleton starts against real PostgreSQL and Kafka, migrates its schema and answers health and OpenAPI. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class PolicyServiceStartsTest {

    @Test
    void startsHealthyWithItsOwnSchema() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
        given().get("/q/openapi?format=json").then().statusCode(200).body("info.title", equalTo("EdgeFleet policy-service"));
        given().get("/v1/anything").then().statusCode(404);
    }
}
