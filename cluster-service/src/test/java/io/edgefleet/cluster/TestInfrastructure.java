package io.edgefleet.cluster;

import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.PostgresTestResource;
import io.edgefleet.testsupport.ZipkinTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Real Kafka, real PostgreSQL, the OIDC test server, a Zipkin server (every span of the service, the bridge and the
 * gateways goes there: TraceTest) and the edge link (test PKI, Mosquitto, the edge bridge process) for every test of
 * this module (one application boot).
 */
@QuarkusTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "principal", value = "cluster-service"))
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(ZipkinTestResource.class)
@QuarkusTestResource(EdgeLinkTestResource.class)
public final class TestInfrastructure {
    private TestInfrastructure() {}
}
