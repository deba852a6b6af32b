package io.edgefleet.policy;

import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.PostgresTestResource;
import io.edgefleet.testsupport.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** Real Kafka, PostgreSQL, S3 server and the OIDC test server for every test of this module (one application boot). */
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = "principal", value = "policy-service"))
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
public final class TestInfrastructure {
    private TestInfrastructure() {
    }
}
