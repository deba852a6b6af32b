package io.edgefleet.bridge.support;

import io.edgefleet.testsupport.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Real Kafka and the real edge side (Mosquitto, PKI, CRL endpoint stand-in) for every test of this module: one boot. */
@QuarkusTestResource(
        value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = "principal", value = "edge-bridge"))
@QuarkusTestResource(EdgeLinkTestResource.class)
public final class TestInfrastructure {
    private TestInfrastructure() {}
}
