package io.edgefleet.cluster.bench;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.cluster.Bus;
import io.edgefleet.cluster.Fixtures;
import io.edgefleet.cluster.Rollouts;
import io.edgefleet.cluster.TestInfrastructure;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.fleetsim.Fleet;
import io.edgefleet.testsupport.Eventually;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Benchmark, not a test (deploy/bench/rollout-at-scale.sh): one rollout over many clusters (default 1,000, one
 * master each) in waves of 10 % (no canary, {@code maxConcurrency} = a wave), and what it costs the control plane.
 * The appliances are fleet-sim's ({@link Fleet}): one MQTT/TLS connection each with a device certificate of the test
 * edge CA, on the real edge link (Mosquitto, the bridge process, Kafka), answering node commands as
 * {@link RecordingNodeDriver} does (the node RUNNING or DELETED) on shared event loops — 1,000 in-JVM gateways
 * (a thread pool, a local store and a Kafka reader each at start) would cost more than the control plane under test.
 * An appliance serves one cluster, so there is one simulated appliance per cluster. Prints the time to set the fleet
 * up, the rollout's total time, each wave's time (its first start to its last finish) and the CPU of this JVM (process
 * CPU time / wall time: cluster-service, but also the simulator and this client, whose threads are subtracted where
 * they can be told apart) during the rollout.
 */
@QuarkusTest
@TestInfrastructure
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class RolloutAtScaleBenchmark {

    @Inject
    AgroalDataSource db;

    @Test
    void oneRolloutOverManyClustersInWavesOfTenPercent() throws Exception {
        int clusters = Integer.getInteger("clusters", 1000);
        int wave = Math.max(1, (int) Math.ceil(clusters / 10.0));
        String run = UUID.randomUUID().toString().substring(0, 4);
        System.out.printf(
                "[bench] rollout at scale: %d clusters, waves of 10%% (%d), %d cores, load average %.1f%n",
                clusters,
                wave,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (Bus bus = new Bus(db);
                SimulatedFleet fleet = SimulatedFleet.start(db, bus, TENANT_A, "scale-" + run, clusters)) {
            List<String> uids = fleet.uids;
            ProfileSnapshot v1 = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
            ProfileSnapshot v2 = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.28.9", "");
            bus.profile(TENANT_A, v1);
            bus.profile(TENANT_A, v2);
            System.out.printf(
                    "[bench] %d simulated appliances (fleet-sim) connected and READY in %.1f s%n",
                    clusters, fleet.setUpSeconds);

            long t1 = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (String uid : uids) {
                ids.add(Rollouts.createOneMaster(TENANT_A, uid, v1.id(), uid));
            }
            awaitCount(
                    "select count(*) from cluster.cluster where tenant = ? and name like ? and status = 'RUNNING'"
                            + " and health = 'HEALTHY'",
                    "scale-" + run + "-%",
                    clusters,
                    Duration.ofMinutes(30));
            System.out.printf(
                    "[bench] %d clusters created and RUNNING in %.1f s%n", clusters, (System.nanoTime() - t1) / 1e9);

            Cpu cpu = Cpu.now();
            long start = System.nanoTime();
            String rollout = Rollouts.create(TENANT_A, "scale " + run, v2.id(), ids, """
                    {"canaries": 0, "wavePercent": 10, "maxConcurrency": %d, "healthTimeout": "PT15M",
                     "offlineMode": "FAIL"}""".formatted(wave));
            String status = Eventually.value(
                    Duration.ofMinutes(60),
                    Duration.ofSeconds(2),
                    () -> rolloutStatus(rollout),
                    s -> !"RUNNING".equals(s));
            double seconds = (System.nanoTime() - start) / 1e9;
            Cpu used = Cpu.now().minus(cpu);
            assertEquals(
                    "COMPLETED", status, () -> Rollouts.get(TENANT_A, rollout).prettify());

            System.out.printf(
                    "[bench] rollout of %d clusters (%d waves of %d, maxConcurrency %d): COMPLETED in %.1f s"
                            + " (%.1f clusters/minute)%n",
                    clusters, (clusters + wave - 1) / wave, wave, wave, seconds, clusters / (seconds / 60));
            waves(rollout);
            System.out.printf(
                    "[bench] CPU during the rollout (%.1f s wall): this JVM %.1f s = %.0f %% of one core; without"
                            + " fleet-sim's, the Kafka broker's and this client's threads: %.1f s = %.0f %% of one core (cluster-service,"
                            + " with the JVM's GC and JIT); fleet-sim %.1f s, the in-JVM Kafka broker %.1f s%n",
                    seconds,
                    used.process / 1e9,
                    100 * used.process / 1e9 / seconds,
                    (used.process - used.excluded) / 1e9,
                    100 * (used.process - used.excluded) / 1e9 / seconds,
                    used.simulator / 1e9,
                    used.broker / 1e9);
            System.out.printf(
                    "[bench] load average at the end %.1f%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            long onNew = count(
                    "select count(*) from cluster.cluster where tenant = ? and name like ? and status = 'RUNNING'"
                            + " and profile_id = '" + v2.id() + "'",
                    "scale-" + run + "-%");
            assertEquals(clusters, onNew, "every cluster RUNNING on the new version");
            fleet.fleet.stopReporting(10_000);
        }
    }

    private String rolloutStatus(String id) {
        try (var c = db.getConnection();
                var st = c.prepareStatement("select status from cluster.rollout where id = ?::uuid")) {
            st.setString(1, id);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each wave: its clusters, how many HEALTHY, and its first start to its last finish. */
    private void waves(String rollout) throws SQLException {
        try (var c = db.getConnection();
                var st = c.prepareStatement("""
                        select wave, count(*), count(*) filter (where state = 'HEALTHY'),
                               extract(epoch from max(finished_at) - min(started_at)),
                               extract(epoch from min(started_at) - (select min(started_at) from cluster.rollout_target
                                                                     where rollout_id = ?::uuid))
                        from cluster.rollout_target where rollout_id = ?::uuid group by wave order by wave""")) {
            st.setString(1, rollout);
            st.setString(2, rollout);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    System.out.printf(
                            "[bench]   wave %d: %d clusters, %d HEALTHY, %.1f s (first start at +%.1f s)%n",
                            rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getDouble(4), rs.getDouble(5));
                }
            }
        }
    }

    private long count(String sql, String like) {
        return SimulatedFleet.count(db, sql, TENANT_A, like);
    }

    private void awaitCount(String sql, String like, long expected, Duration timeout) {
        long got = Eventually.value(timeout, Duration.ofSeconds(1), () -> count(sql, like), n -> n >= expected);
        assertEquals(expected, got, sql);
    }

    /**
     * CPU time (ns) of this JVM, of fleet-sim's threads, of the Kafka broker's (the test broker runs in this JVM) and
     * of every thread that is not cluster-service's (those two and this benchmark's own). Threads that ended during
     * the window count in the process only, so cluster-service's share is an upper bound.
     */
    private record Cpu(long process, long simulator, long broker, long excluded) {

        static Cpu now() {
            long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long simulator = 0, broker = 0, excluded = 0;
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t == null) {
                    continue;
                }
                long ns = Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
                String name = t.getThreadName();
                if (name.startsWith("fleet-sim-")) {
                    simulator += ns;
                    excluded += ns;
                } else if (kafkaBroker(name)) {
                    broker += ns;
                    excluded += ns;
                } else if (name.equals("main") || name.startsWith("HttpClient")) {
                    excluded += ns; // this benchmark's own thread (REST and SQL polls)
                }
            }
            return new Cpu(process, simulator, broker, excluded);
        }

        /** The in-JVM test broker's threads; the service's Kafka clients (producer, consumers) are its own. */
        private static boolean kafkaBroker(String name) {
            if (name.startsWith("kafka-producer")
                    || name.startsWith("kafka-coordinator")
                    || name.startsWith("smallrye-kafka")) {
                return false;
            }
            String n = name.toLowerCase(java.util.Locale.ROOT);
            return n.contains("kafka")
                    || n.startsWith("broker-")
                    || n.startsWith("controller-")
                    || n.startsWith("quorum")
                    || n.contains("raft")
                    || n.startsWith("expirationreaper")
                    || n.startsWith("replicafetcher")
                    || n.startsWith("logdirfailurehandler")
                    || n.startsWith("group-coordinator")
                    || n.startsWith("transaction")
                    || n.contains("log-cleaner")
                    || n.startsWith("metrics-meter-tick");
        }

        Cpu minus(Cpu before) {
            return new Cpu(
                    process - before.process,
                    simulator - before.simulator,
                    broker - before.broker,
                    excluded - before.excluded);
        }
    }
}
