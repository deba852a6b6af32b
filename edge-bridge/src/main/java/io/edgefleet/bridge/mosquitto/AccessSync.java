package io.edgefleet.bridge.mosquitto;

import io.edgefleet.bridge.BridgeConfig;
import io.edgefleet.bridge.kafka.KafkaClients;
import io.edgefleet.bridge.mqtt.PlatformListener;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps Mosquitto's device access in step with appliance-service (Mosquitto-specific; on when
 * {@code bridge.mosquitto.acl-file} is set). For each batch of {@code appliance-events}: the deny list is updated and
 * written; after a revocation the CRL is fetched and installed; Mosquitto is signalled to reload both; the live
 * sessions of identities cut off in the batch are taken over and ended; then the offsets are committed. The ACL file is
 * the state: a restart reads it back (and replays at most the uncommitted batch). The CRL is also refreshed every
 * {@code bridge.mosquitto.crl-refresh}, since it expires.
 */
@ApplicationScoped
public class AccessSync {

    private static final Logger LOG = Logger.getLogger(AccessSync.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    @Inject
    BridgeConfig config;

    @Inject
    KafkaClients kafka;

    private DenyList denyList;
    private CrlInstaller crl;
    private MosquittoReload mosquitto;
    private SessionTakeover takeover;
    private KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread loop;
    private long nextCrlRefresh;

    public boolean enabled() {
        return config.mosquitto().aclFile().isPresent();
    }

    public void start() {
        BridgeConfig.Mosquitto m = config.mosquitto();
        Path aclFile = m.aclFile().orElseThrow();
        URI crlUrl = required(m.crlUrl(), "crl-url");
        Path crlFile = required(m.crlFile(), "crl-file");
        Path edgeCaFile = required(m.edgeCaFile(), "edge-ca-file");
        Path pidFile = required(m.pidFile(), "pid-file");
        try {
            denyList = DenyList.load(aclFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the device ACL " + aclFile + ": " + e.getMessage(), e);
        }
        crl = new CrlInstaller(crlUrl, crlFile, edgeCaFile);
        mosquitto = new MosquittoReload(pidFile);
        takeover = new SessionTakeover(new PlatformListener(config.mqtt()));
        consumer = kafka.consumer(
                m.groupId(), "edge-bridge-access-" + config.mqtt().clientId());
        LOG.infof(
                "access sync: %d identities cut off in %s; CRL from %s to %s",
                denyList.denied().size(), aclFile, crlUrl, crlFile);
        running = true;
        loop = new Thread(this::run, "access-sync");
        loop.setDaemon(true);
        loop.start();
    }

    public void stop() {
        running = false; // the loop ends after its current poll (at most a second) or batch
        if (loop != null) {
            try {
                loop.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean alive() {
        return loop != null && loop.isAlive();
    }

    /** Identities denied by the ACL file now. */
    public Set<String> denied() {
        return denyList == null ? Set.of() : denyList.denied();
    }

    /** The installed CRL, for health output. */
    public String installedCrl() {
        Crl installed = crl == null ? null : crl.installed();
        return installed == null ? "none" : installed.toString();
    }

    /** Null while the CRL refreshes fine; otherwise why not. */
    public String crlProblem() {
        return crl == null ? null : crl.lastProblem();
    }

    private void run() {
        try {
            // the files may be newer than what Mosquitto loaded (a stop between write and signal): reload once
            refreshCrl();
            mosquitto.reload();
            consumer.subscribe(List.of(Topics.APPLIANCE_EVENTS));
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                    if (!records.isEmpty()) {
                        apply(records);
                        consumer.commitSync();
                    }
                    if (System.nanoTime() - nextCrlRefresh >= 0 && refreshCrl() == CrlInstaller.Outcome.INSTALLED) {
                        mosquitto.reload();
                    }
                } catch (IOException e) {
                    LOG.warnf("cannot write the device ACL (the batch is read again): %s", e.getMessage());
                    sleep(RETRY);
                } catch (KafkaException e) {
                    LOG.warnf("reading appliance-events failed (retrying): %s", e.getMessage());
                    sleep(RETRY);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.errorf(e, "the access sync stopped");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** One batch: deny list, file, CRL, reload, take-overs. Throws (offsets not committed, batch read again) if the file cannot be written. */
    private void apply(ConsumerRecords<String, byte[]> records) throws IOException {
        Set<String> cutOff = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            AccessChange change;
            try {
                CloudEvent event = KafkaCloudEvents.fromRecord(record);
                change = AccessChange.of(event, record.key());
            } catch (InvalidEventException e) {
                LOG.warnf("skipping %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
                continue;
            }
            if (change == null) {
                continue;
            }
            if (change.cutOff()) {
                denyList.deny(change.identity());
                cutOff.add(change.identity());
            } else {
                if (denyList.allow(change.identity())) {
                    LOG.infof("access sync: %s is enrolled again, its deny entry goes", change.identity());
                }
                cutOff.remove(change.identity());
            }
        }
        boolean written;
        try {
            written = denyList.save();
        } catch (IOException e) {
            rewind(records);
            throw e;
        }
        boolean crlInstalled = !cutOff.isEmpty() && refreshCrl() == CrlInstaller.Outcome.INSTALLED;
        if (written || crlInstalled) {
            mosquitto.reload();
        }
        for (String identity : cutOff) {
            LOG.infof("access sync: %s is cut off", identity);
            takeover.end(identity);
        }
    }

    private CrlInstaller.Outcome refreshCrl() {
        CrlInstaller.Outcome outcome = crl.refresh();
        Duration next = outcome == CrlInstaller.Outcome.INSTALLED || outcome == CrlInstaller.Outcome.UNCHANGED
                ? config.mosquitto().crlRefresh()
                : min(RETRY, config.mosquitto().crlRefresh());
        nextCrlRefresh = System.nanoTime() + next.toNanos();
        return outcome;
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private static <T> T required(Optional<T> value, String key) {
        return value.orElseThrow(() -> new IllegalStateException(
                "bridge.mosquitto.acl-file is set, so bridge.mosquitto." + key + " must be set too"));
    }
}
