package io.edgefleet.cluster.bench;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.cluster.Bus;
import io.edgefleet.cluster.Fixtures;
import io.edgefleet.cluster.TestInfrastructure;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.fleetsim.CommandTimes;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Benchmark, not a test (deploy/bench/clusters-at-scale.sh; issue 14): N clusters of 1 master + 2 workers (default
 * 1,000), one per simulated appliance ({@link SimulatedFleet}: fleet-sim's, on the real edge link), created through
 * REST with a bounded number of POSTs in flight (8, as an operator's tool would), until every one is RUNNING. Prints
 * the time from the first POST to the last cluster RUNNING, clusters/minute, and per node operation (each create-node
 * command) the control plane's time: the command's whole time in cluster-service minus the time its appliance held it,
 * split into outbound and inbound and those into legs (see {@link Op}), and the slowest operations leg by leg. With
 * {@code -DwarmUp=W}, W clusters on appliances of their own go first and are not counted. Everything runs on one
 * machine and the JVM, PostgreSQL, Kafka (in this JVM) and the bridge share its clock, so instants of different
 * processes compare.
 */
@QuarkusTest
@TestInfrastructure
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ClustersAtScaleBenchmark {

    @Inject
    AgroalDataSource db;

    @TestHTTPResource("/v1/clusters")
    URI clustersUrl;

    @Test
    void manyClustersOfThreeNodesToRunning() throws Exception {
        int clusters = Integer.getInteger("clusters", 1000);
        // clusters created (on appliances of their own) and left RUNNING before the measured ones, so that the figures
        // are of a warm control plane (JIT-compiled, pools filled) as in production, not of its first minute
        int warmUp = Integer.getInteger("warmUp", 0);
        int inFlight = Integer.getInteger("inFlight", 8);
        // clusters per second offered (0: as fast as the POSTs in flight allow): a rate the control plane keeps up
        // with measures its time per node operation, an over-offered burst the queue it builds
        double rate = Double.parseDouble(System.getProperty("rate", "0"));
        String run = UUID.randomUUID().toString().substring(0, 4);
        System.out.printf(
                "[bench] clusters at scale: %d clusters of 1 master + 2 workers (after %d to warm up), %d POSTs in"
                        + " flight, %s, %d cores, load average %.1f%n",
                clusters,
                warmUp,
                inFlight,
                rate > 0 ? "offered at " + rate + " clusters/s" : "no rate limit",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ProfileSnapshot profile =
                Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        try (Bus bus = new Bus(db);
                SimulatedFleet warm =
                        warmUp > 0 ? SimulatedFleet.start(db, bus, TENANT_A, "w3-" + run, warmUp) : null) {
            bus.profile(TENANT_A, profile);
            if (warm != null) {
                // as fast as the POSTs in flight allow: what warms the JIT is the number of calls, not the time
                List<Op> ops = toRunning(warm, profile, "w3-" + run, inFlight, 0);
                System.out.printf(
                        "[bench] warm-up: %d clusters RUNNING, control-plane time per node op p50 %.1f ms, p99 %.1f ms"
                                + " (not counted below)%n",
                        warmUp, percentileMillis(ops, 0.50), percentileMillis(ops, 0.99));
            }
            try (SimulatedFleet sim = SimulatedFleet.start(db, bus, TENANT_A, "c3-" + run, clusters)) {
                System.out.printf(
                        "[bench] %d simulated appliances (fleet-sim) connected and READY in %.1f s%n",
                        clusters, sim.setUpSeconds);
                print(toRunning(sim, profile, "c3-" + run, inFlight, rate));
                sim.fleet.stopReporting(10_000);
            }
        }
    }

    /**
     * Creates a cluster on each of {@code sim}'s appliances, waits until every one is RUNNING, prints how long that
     * took and returns its create-node operations.
     */
    private List<Op> toRunning(SimulatedFleet sim, ProfileSnapshot profile, String prefix, int inFlight, double rate)
            throws Exception {
        int clusters = sim.uids.size();
        CommandTimes held = new CommandTimes();
        sim.fleet.recordCommandTimes(held);
        Instant firstPost = Instant.now();
        long t0 = System.nanoTime();
        create(sim.uids, profile.id(), inFlight, rate);
        double postSeconds = (System.nanoTime() - t0) / 1e9;
        long[] counts = Eventually.value(
                Duration.ofMinutes(60),
                Duration.ofSeconds(1),
                () -> statusCounts(prefix + "-%"),
                c -> c[0] >= clusters || c[1] > 0);
        assertEquals(0, counts[1], "no cluster FAILED");
        assertEquals(clusters, counts[0], "every cluster RUNNING");
        double seconds = Duration.between(firstPost, lastRunning(prefix + "-%")).toNanos() / 1e9;
        System.out.printf(
                "[bench] %d clusters x 3 nodes RUNNING %.1f s after the first POST (the %d POSTs took %.1f s):"
                        + " %.1f clusters/minute, %.1f node commands/s; load average %.1f%n",
                clusters,
                seconds,
                clusters,
                postSeconds,
                clusters / (seconds / 60),
                3 * clusters / seconds,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Op> ops = operations(prefix + "-%", held);
        assertEquals(3L * clusters, ops.size(), "every create-node command answered and recorded");
        return ops;
    }

    /**
     * POSTs one cluster per appliance (named after it), at most {@code inFlight} at once and, with a {@code rate}, the
     * i-th not before i / rate seconds.
     */
    private void create(List<String> uids, String profileId, int inFlight, double rate) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // as curl does: no h2c upgrade
        Semaphore permits = new Semaphore(inFlight);
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        int i = 0;
        for (String uid : uids) {
            if (rate > 0) {
                long due = start + (long) (i * 1e9 / rate);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait); // pacing the offered load, not waiting for a condition
                }
            }
            i++;
            permits.acquire();
            HttpRequest post = HttpRequest.newBuilder(clustersUrl)
                    .header("Authorization", "Bearer " + TestTokens.admin(TENANT_A))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            Fixtures.containerizedCluster(uid, profileId, uid, 2, uid)))
                    .build();
            http.sendAsync(post, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                if (error != null) {
                    errors.add(uid + ": " + error);
                } else if (response.statusCode() != 201) {
                    errors.add(uid + ": " + response.statusCode() + " " + response.body());
                }
                permits.release();
            });
        }
        permits.acquire(inFlight); // the last answers are in
        assertTrue(errors.isEmpty(), () -> errors.size() + " POSTs failed, e.g. " + errors.peek());
    }

    /** [RUNNING, FAILED] among the run's clusters. */
    private long[] statusCounts(String like) {
        try (var c = db.getConnection();
                var st = c.prepareStatement(
                        "select count(*) filter (where status = 'RUNNING'),"
                                + " count(*) filter (where status = 'FAILED') from cluster.cluster where tenant = ? and name like ?")) {
            st.setString(1, TENANT_A);
            st.setString(2, like);
            try (var rs = st.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When the last of the run's clusters became RUNNING (its status task). */
    private Instant lastRunning(String like) throws SQLException {
        try (var c = db.getConnection();
                var st = c.prepareStatement("select max(t.started_at) from cluster.cluster_task t"
                        + " join cluster.cluster c on c.id = t.cluster_id"
                        + " where c.tenant = ? and c.name like ? and t.kind = 'status' and t.message like ?")) {
            st.setString(1, TENANT_A);
            st.setString(2, like);
            st.setString(3, "% → RUNNING%");
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    /**
     * One create-node command, by the instants on its way (each read where it is recorded):
     *
     * @param master     the master's (decided in the POST's transaction) or a worker's (decided in the transaction
     *                   that applied the master's result: the planner starts workers once the master runs)
     * @param started    cluster_task.started_at: the decision (Instant.now() when the reconcile began, in the
     *                   transaction that writes the task, the node and the command's outbox row; before its commit)
     * @param outboxed   outbox_message.occurred_at: the command's outbox row written (same transaction, before commit)
     * @param relayed    outbox_message.published_at: the outbox relay's transaction that sent it began (PostgreSQL
     *                   now(): after the commit, its NOTIFY and the relay's wake-up; before the send to Kafka)
     * @param commandLog the gateway-commands record's Kafka timestamp (ms): the relay's producer sent it
     * @param received   fleet-sim: the command's MQTT message handed to the appliance (after the bridge read it from
     *                   Kafka and published it, and Mosquitto delivered it)
     * @param answered   fleet-sim: its result handed to the appliance's MQTT client (100 ms of simulated run time after
     *                   {@code received})
     * @param reportLog  the gateway-reports record's Kafka timestamp (ms): the bridge's producer sent the result
     * @param finished   cluster_task.finished_at: the result applied (Instant.now() in the consumer's transaction that
     *                   applies it, after the inbox check and the task's and nodes' reads; before its commit)
     */
    record Op(
            boolean master,
            Instant started,
            Instant outboxed,
            Instant relayed,
            Instant commandLog,
            Instant received,
            Instant answered,
            Instant reportLog,
            Instant finished) {

        long controlPlaneMicros() {
            return micros(started, finished) - micros(received, answered);
        }
    }

    /** Every create-node command of the run's clusters, with its instants from the database, Kafka and fleet-sim. */
    private List<Op> operations(String like, CommandTimes held) throws SQLException {
        record Row(
                String commandId,
                boolean master,
                Instant started,
                Instant finished,
                Instant outboxed,
                Instant relayed) {}
        List<Row> rows = new ArrayList<>();
        try (var c = db.getConnection();
                var st = c.prepareStatement("""
                        select t.command_id, n.role = 'MASTER', t.started_at, t.finished_at, o.occurred_at, o.published_at
                        from cluster.cluster_task t
                        join cluster.cluster c on c.id = t.cluster_id
                        join cluster.cluster_node n on n.cluster_id = t.cluster_id and n.node_id = t.node_id
                        left join (select payload::jsonb ->> 'commandId' as command_id, min(occurred_at) as occurred_at,
                                          min(published_at) as published_at
                                   from cluster.outbox_message where topic = ? and event_type = ?
                                   group by 1) o on o.command_id = t.command_id -- a command sent again: its first send
                        where c.tenant = ? and c.name like ? and t.kind = 'create-node' and t.status = 'SUCCEEDED'""")) {
            st.setString(1, Topics.GATEWAY_COMMANDS);
            st.setString(2, EventTypes.CREATE_NODE);
            st.setString(3, TENANT_A);
            st.setString(4, like);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(
                            rs.getString(1),
                            rs.getBoolean(2),
                            instant(rs.getTimestamp(3)),
                            instant(rs.getTimestamp(4)),
                            instant(rs.getTimestamp(5)),
                            instant(rs.getTimestamp(6))));
                }
            }
        }
        Map<String, Instant> commandLog = firstRecordTimes(Topics.GATEWAY_COMMANDS, EventTypes.CREATE_NODE);
        Map<String, Instant> reportLog = firstRecordTimes(Topics.GATEWAY_REPORTS, EventTypes.COMMAND_COMPLETED);
        List<Op> ops = new ArrayList<>();
        for (Row r : rows) {
            CommandTimes.Held h = held.of(r.commandId());
            if (h == null) {
                continue; // not answered by a simulated appliance: counted as missing by the caller
            }
            ops.add(new Op(
                    r.master(),
                    r.started(),
                    r.outboxed(),
                    r.relayed(),
                    commandLog.get(r.commandId()),
                    h.received(),
                    h.answered(),
                    reportLog.get(r.commandId()),
                    r.finished()));
        }
        return ops;
    }

    /**
     * commandId → the Kafka timestamp of the first record of {@code type} about it on {@code topic} (the producer's
     * send time unless the topic stamps LogAppendTime; printed), read from the beginning to the end of the topic.
     */
    private static Map<String, Instant> firstRecordTimes(String topic, String type) {
        Map<String, Object> config = new HashMap<>(KafkaTestResource.broker().adminProperties());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        Map<String, Instant> first = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            String timestampType = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    timestampType = record.timestampType().name;
                    String commandId = commandIdOf(record, type);
                    if (commandId != null) {
                        first.merge(
                                commandId, Instant.ofEpochMilli(record.timestamp()), (a, b) -> a.isBefore(b) ? a : b);
                    }
                }
            }
            System.out.printf(
                    "[bench]   (%s: %d commands with a %s record; Kafka timestamps are %s)%n",
                    topic, first.size(), type, timestampType);
        }
        return first;
    }

    private static String commandIdOf(ConsumerRecord<String, byte[]> record, String type) {
        try {
            CloudEvent event = KafkaCloudEvents.fromRecord(record);
            if (!type.equals(event.type())) {
                return null;
            }
            return EventJson.mapper().readTree(event.data()).path("commandId").asText(null);
        } catch (InvalidEventException | IOException e) {
            return null;
        }
    }

    private static void print(List<Op> ops) {
        System.out.printf(
                "[bench] per node operation (%d create-node commands): control-plane time = the command's time in"
                        + " cluster-service (task started_at = decision, before commit → finished_at = result applied,"
                        + " before commit) minus the time its appliance held it (fleet-sim: received → result"
                        + " published, 100 ms simulated run time included)%n",
                ops.size());
        line("control-plane time", ops, o -> o.controlPlaneMicros());
        line("  outbound: decision → appliance received", ops, o -> micros(o.started(), o.received()));
        line("  inbound: result published → applied", ops, o -> micros(o.answered(), o.finished()));
        line(
                "  masters only (decided in the POST)",
                ops.stream().filter(Op::master).toList(),
                Op::controlPlaneMicros);
        line(
                "  workers only (decided with the master's result)",
                ops.stream().filter(o -> !o.master()).toList(),
                Op::controlPlaneMicros);
        List<Op> byStart = new ArrayList<>(ops);
        byStart.sort(Comparator.comparing(Op::started));
        line(
                "  the later half of the run only (JIT and pools warm)",
                byStart.subList(byStart.size() / 2, byStart.size()),
                Op::controlPlaneMicros);
        line("held by the appliance", ops, o -> micros(o.received(), o.answered()));
        System.out.println("[bench] legs (ms; Kafka timestamps have whole ms):");
        line("  decision → outbox row (same transaction)", ops, o -> micros(o.started(), o.outboxed()));
        line(
                "  outbox row → relay's batch began (commit, NOTIFY, wake-up)",
                ops,
                o -> micros(o.outboxed(), o.relayed()));
        line("  relay's batch → gateway-commands record (Kafka send)", ops, o -> micros(o.relayed(), o.commandLog()));
        line(
                "  gateway-commands record → appliance received (bridge, Mosquitto, fleet-sim)",
                ops,
                o -> micros(o.commandLog(), o.received()));
        line(
                "  result published → gateway-reports record (Mosquitto, bridge)",
                ops,
                o -> micros(o.answered(), o.reportLog()));
        line(
                "  gateway-reports record → applied (Kafka, consumer, inbox, reads)",
                ops,
                o -> micros(o.reportLog(), o.finished()));
        // where the tail goes: the slowest operations leg by leg (a tail spread over every leg is the box's scheduling
        // or a pause of the whole JVM; one leg long alone is that hop)
        System.out.println("[bench] the 5 slowest operations, leg by leg (ms): decision → outbox row → relay → Kafka →"
                + " appliance | held | → gateway-reports record → applied");
        byStart.sort(Comparator.comparingLong(Op::controlPlaneMicros).reversed());
        for (Op o : byStart.subList(0, Math.min(5, byStart.size()))) {
            System.out.printf(
                    "[bench]   %.1f ms (%s, decided %s): %s → %s → %s → %s | %s | → %s → %s%n",
                    o.controlPlaneMicros() / 1000.0,
                    o.master() ? "master" : "worker",
                    o.started(),
                    legMillis(o.started(), o.outboxed()),
                    legMillis(o.outboxed(), o.relayed()),
                    legMillis(o.relayed(), o.commandLog()),
                    legMillis(o.commandLog(), o.received()),
                    legMillis(o.received(), o.answered()),
                    legMillis(o.answered(), o.reportLog()),
                    legMillis(o.reportLog(), o.finished()));
        }
    }

    private static String legMillis(Instant a, Instant b) {
        long v = micros(a, b);
        return v == Long.MIN_VALUE ? "?" : String.format("%.1f", v / 1000.0);
    }

    private static double percentileMillis(List<Op> ops, double fraction) {
        List<Long> values = new ArrayList<>(
                ops.stream().map(Op::controlPlaneMicros).sorted().toList());
        return percentile(values, fraction) / 1000.0;
    }

    private static void line(String what, List<Op> ops, ToLongFunction<Op> micros) {
        List<Long> values = new ArrayList<>();
        for (Op o : ops) {
            long v = micros.applyAsLong(o);
            if (v != Long.MIN_VALUE) {
                values.add(v);
            }
        }
        if (values.isEmpty()) {
            System.out.printf("[bench]   %s: no samples%n", what);
            return;
        }
        Collections.sort(values);
        System.out.printf(
                "[bench]   %s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d)%n",
                what,
                percentile(values, 0.50) / 1000.0,
                percentile(values, 0.99) / 1000.0,
                values.get(values.size() - 1) / 1000.0,
                values.size());
    }

    /** Microseconds from {@code a} to {@code b}; Long.MIN_VALUE (no sample) when either is unknown. */
    static long micros(Instant a, Instant b) {
        if (a == null || b == null) {
            return Long.MIN_VALUE;
        }
        return Duration.between(a, b).toNanos() / 1000;
    }

    /** The smallest value at or below which {@code fraction} of the sorted values lie. */
    static long percentile(List<Long> sorted, double fraction) {
        int index = (int) Math.ceil(fraction * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
