package io.edgefleet.appliance;

import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Real Kafka, real PostgreSQL, the OIDC test server and the test PKI (edge CA, HTTPS port) for every test of this
 * module (one application boot).
 */
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = "principal", value = "appliance-service"))
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(EdgePkiTestResource.class)
public final class TestInfrastructure {
    private TestInfrastructure() {
    }
}
