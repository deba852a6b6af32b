package io.edgefleet.testsupport;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/** A real single-node KRaft broker (broker and controller combined) in this JVM, restartable on the same port. */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static KafkaBroker start() {
        long t0 = System.nanoTime();
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("num.partitions", "3")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "3")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            KafkaBroker broker = new KafkaBroker(cluster);
            System.out.printf("[test-infra] Kafka broker at %s in %d ms%n", broker.bootstrapServers(),
                    (System.nanoTime() - t0) / 1_000_000);
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Shuts the broker down (clients see connection refused) until {@link #resume()}. */
    public void pause() {
        cluster.brokers().values().forEach(b -> b.shutdown());
        cluster.brokers().values().forEach(b -> b.awaitShutdown());
    }

    /** Starts the broker again on the same port with the same data. */
    public void resume() {
        try {
            cluster.brokers().values().forEach(b -> b.startup());
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("could not restart the test Kafka broker", e);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            System.err.println("[test-infra] Kafka close failed: " + e);
        }
    }
}
