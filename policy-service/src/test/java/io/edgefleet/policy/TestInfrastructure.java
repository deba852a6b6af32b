package io.edgefleet.policy;

import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.PostgresTestResource;
import io.edgefleet.testsupport.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Real Kafka, PostgreSQL, S3 server, the OIDC test server and the edge link (test PKI, Mosquitto, the edge bridge process)
 * for every test of this module (one application boot).
 */
@QuarkusTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "principal", value = "policy-service"))
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(EdgeLinkTestResource.class)
public final class TestInfrastructure {
    private TestInfrastructure() {}
}
