package io.edgefleet.cluster.bench;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.cluster.Api;
import io.edgefleet.cluster.Bus;
import io.edgefleet.cluster.Fixtures;
import io.edgefleet.cluster.Gateways;
import io.edgefleet.cluster.TestInfrastructure;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Benchmark, not a test (deploy/bench/cluster-throughput.sh): provisions many clusters (1 master + 2 workers each)
 * on SIMULATED appliances — real gateways whose node driver is {@link RecordingNodeDriver}, which only records
 * operations — and prints clusters per minute and the control plane's latency from a gateway's result report to
 * the state change it causes (the gateway's finishedAt to cluster-service's task finishedAt, one clock).
 */
@QuarkusTest
@TestInfrastructure
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ClusterThroughputBenchmark {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @Test
    void provisionManyClustersOnSimulatedAppliances() throws Exception {
        int clusters = Integer.getInteger("clusters", 20);
        String run = UUID.randomUUID().toString().substring(0, 4);
        try (Gateways gateways = new Gateways();
                Bus bus = new Bus(db)) {
            ProfileSnapshot profile =
                    Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
            bus.profile(TENANT_A, profile);
            List<RecordingNodeDriver> drivers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < clusters; i++) { // one appliance per cluster: an appliance serves one cluster
                String uid = "sim-" + run + "-" + i;
                RecordingNodeDriver driver = new RecordingNodeDriver();
                drivers.add(driver);
                bus.appliance(
                        TENANT_A,
                        Fixtures.ready(gateways.start(TENANT_A, uid, false, Gateways.newStateDir(uid), driver), 1));
            }
            System.out.printf(
                    "[bench] %d simulated appliances (gateways with RecordingNodeDriver) up in %.1f s%n",
                    clusters, (System.nanoTime() - t0) / 1e9);

            List<String> ids = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < clusters; i++) {
                String uid = "sim-" + run + "-" + i;
                ids.add(Api.admin(TENANT_A)
                        .body(Fixtures.containerizedCluster("bench-" + run + "-" + i, profile.id(), uid, 2, uid))
                        .post("/v1/clusters")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
            }
            double createSeconds = (System.nanoTime() - start) / 1e9;
            for (String id : ids) {
                Api.awaitStatus(TENANT_A, id, "RUNNING", Duration.ofMinutes(10));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long operations =
                    drivers.stream().mapToLong(d -> d.operations.size()).sum();
            assertEquals(3L * clusters, operations, "each node created once");

            List<Long> latencies = reportToStateLatencies(ids);
            Collections.sort(latencies);
            System.out.printf(
                    "[bench] %d clusters x 3 nodes: all RUNNING %.1f s after the first POST (POSTs took %.1f s)%n",
                    clusters, seconds, createSeconds);
            System.out.printf(
                    "[bench] throughput: %.1f clusters/minute (%.1f node commands/s) on simulated appliances%n",
                    clusters / (seconds / 60), operations / seconds);
            System.out.printf(
                    "[bench] report -> state change (gateway result to task finished in cluster-service), %d reports:"
                            + " p50 %d ms, p99 %d ms, max %d ms%n",
                    latencies.size(),
                    percentile(latencies, 50),
                    percentile(latencies, 99),
                    latencies.get(latencies.size() - 1));
        }
    }

    /** For every create command: the gateway's finishedAt (from its report) to the task's finishedAt in our database. */
    private List<Long> reportToStateLatencies(List<String> ids) throws SQLException {
        Map<String, Instant> handled = new HashMap<>();
        try (var c = db.getConnection();
                var st = c.prepareStatement(
                        "select command_id, finished_at from cluster.cluster_task where cluster_id = any (?)"
                                + " and kind = 'create-node'")) {
            st.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    Timestamp at = rs.getTimestamp(2);
                    handled.put(rs.getString(1), at.toInstant());
                }
            }
        }
        List<Long> latencies = new ArrayList<>();
        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            var results = reports.await(
                    r -> EventTypes.COMMAND_COMPLETED.equals(r.event().type())
                            && handled.containsKey(
                                    r.event().dataAs(CommandResult.class).commandId()),
                    handled.size(),
                    Duration.ofSeconds(60));
            for (var r : results) {
                CommandResult result = r.event().dataAs(CommandResult.class);
                latencies.add(Duration.between(result.finishedAt(), handled.get(result.commandId()))
                        .toMillis());
            }
        }
        return latencies;
    }

    static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
