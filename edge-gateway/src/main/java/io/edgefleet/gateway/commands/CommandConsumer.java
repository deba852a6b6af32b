package io.edgefleet.gateway.commands;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads {@code gateway-commands} for this appliance only. Commands are keyed by the appliance uid,
 * so they all sit in one partition: the gateway reads just that partition (computed like the
 * producer's partitioner does) and skips records of other appliances or tenants. Offsets are
 * committed only after the executor recorded the command durably.
 * <p>
 * A gateway that starts for the first time begins at the end of the partition: commands meant for an
 * earlier installation with the same uid are never replayed onto a fresh machine.
 */
public final class CommandConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

    private final String uid;
    private final String tenant;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<CloudEvent> executor;
    private final Thread thread;
    private volatile boolean running = true;
    private final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);

    public CommandConsumer(String bootstrapServers, String uid, String tenant, Consumer<CloudEvent> executor) {
        this.uid = uid;
        this.tenant = tenant;
        this.executor = executor;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "edge-gateway." + tenant + "." + uid,
                ConsumerConfig.CLIENT_ID_CONFIG, "edge-gateway-commands-" + uid,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "gateway-command-consumer-" + uid);
        this.thread.setDaemon(true);
    }

    public CommandConsumer start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            TopicPartition partition = awaitPartition();
            if (partition == null) {
                return;
            }
            consumer.assign(List.of(partition));
            OffsetAndMetadata committed = consumer.committed(java.util.Set.of(partition)).get(partition);
            if (committed == null) { // first start of this gateway: only commands from now on
                consumer.seekToEnd(List.of(partition));
                long end = consumer.position(partition);
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(end)));
                LOG.infof("reading commands from %s at offset %d (first start)", partition, end);
            } else {
                consumer.seek(partition, committed);
                LOG.infof("reading commands from %s at offset %d", partition, committed.offset());
            }
            ready.countDown();
            long handled = -1;
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                        handle(record);
                        handled = record.offset() + 1;
                    }
                    if (handled >= 0) { // the commands are recorded locally: a failed commit only means a redelivery
                        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(handled)));
                        handled = -1;
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warnf("reading commands failed, retrying: %s", e.getMessage());
                    sleep(1_000);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "the command consumer stopped");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        if (!uid.equals(record.key())) {
            return; // another appliance on the same partition
        }
        CloudEvent event;
        try {
            event = KafkaCloudEvents.fromRecord(record);
        } catch (InvalidEventException e) {
            LOG.warnf("skipping a malformed command at offset %d: %s", record.offset(), e.getMessage());
            return;
        }
        if (!uid.equals(event.subject()) || !tenant.equals(event.tenant()) || !CommandExecutor.TYPES.contains(event.type())) {
            LOG.debugf("skipping %s for %s/%s", event.type(), event.tenant(), event.subject());
            return;
        }
        executor.accept(event);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (through broker outages) until the topic's partitions are known. */
    private TopicPartition awaitPartition() {
        while (running) {
            try {
                List<PartitionInfo> partitions = consumer.partitionsFor(Topics.GATEWAY_COMMANDS, Duration.ofSeconds(10));
                if (partitions != null && !partitions.isEmpty()) {
                    int partition = Utils.toPositive(Utils.murmur2(uid.getBytes(StandardCharsets.UTF_8))) % partitions.size();
                    return new TopicPartition(Topics.GATEWAY_COMMANDS, partition);
                }
            } catch (WakeupException e) {
                return null;
            } catch (KafkaException e) {
                LOG.debugf("broker not reachable yet: %s", e.getMessage());
            }
        }
        return null;
    }

    /** Whether the read position is fixed: from now on no command for this appliance can be missed. */
    public boolean ready() {
        return ready.getCount() == 0;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
