package io.edgefleet.bridge.support;

import io.edgefleet.testsupport.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;

/** Real Kafka and the real edge side (Mosquitto, PKI, CRL endpoint stand-in) for every test of this module: one boot. */
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(EdgeLinkTestResource.class)
public final class TestInfrastructure {
    private TestInfrastructure() {
    }
}
