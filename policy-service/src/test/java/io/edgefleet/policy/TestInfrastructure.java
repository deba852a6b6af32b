package io.edgefleet.policy;

import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.PostgresTestResource;
import io.edgefleet.testsupport.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Real Kafka, PostgreSQL, S3 server, the OIDC test server and the edge link (test PKI, Mosquitto, the edge bridge process)
 * for every test of this module (one application boot).
 *
 * <p>On every {@code @QuarkusTest} of the module, next to it: the same set on every class, so the application and
 * its resources start once for the suite (Quarkus compares the sets; a test class without this annotation would get
 * none of them and restart the application). ArchitectureTest checks that each carries it.
 */
@QuarkusTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "principal", value = "policy-service"))
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(EdgeLinkTestResource.class)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TestInfrastructure {}
