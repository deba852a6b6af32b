package io.edgefleet.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A real single-node KRaft Kafka broker inside the test JVM. Tests that need the broker to go away
 * for a while get it through {@link #broker()}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The broker of the running test application. */
    public static KafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("KafkaTestResource is not started");
        }
        return broker;
    }
}
