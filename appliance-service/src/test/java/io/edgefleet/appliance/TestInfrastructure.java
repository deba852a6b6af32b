package io.edgefleet.appliance;

import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Real Kafka, real PostgreSQL, the OIDC test server and the edge side (test PKI with the edge CA and the HTTPS port,
 * Mosquitto, the edge bridge with its access sync) for every test of this module (one application boot).
 */
@QuarkusTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "principal", value = "appliance-service"))
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(
        value = EdgeLinkTestResource.class,
        initArgs = @ResourceArg(name = "appliance-service", value = "true"))
public final class TestInfrastructure {
    private TestInfrastructure() {}
}
