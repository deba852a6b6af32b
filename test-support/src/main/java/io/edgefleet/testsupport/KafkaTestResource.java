package io.edgefleet.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * A real single-node KRaft Kafka broker inside the test JVM, with SASL and ACLs on (see {@link KafkaBroker}).
 * The application under test logs in as the principal named by the resource argument {@code principal}
 * (e.g. {@code @ResourceArg(name = "principal", value = "cluster-service")}): it gets exactly the rights the
 * deployment gives that service. Tests that need the broker to go away for a while, or another principal's
 * client, get it through {@link #broker()}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile KafkaBroker broker;
    private String principal;

    @Override
    public void init(Map<String, String> initArgs) {
        principal = initArgs.get("principal");
        if (principal == null) {
            throw new IllegalArgumentException(
                    "KafkaTestResource needs @ResourceArg(name = \"principal\", value = \"<service>\")");
        }
    }

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start();
        Map<String, String> config = new HashMap<>();
        broker.clientProperties(principal).forEach((key, value) -> config.put("kafka." + key, String.valueOf(value)));
        return config;
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
