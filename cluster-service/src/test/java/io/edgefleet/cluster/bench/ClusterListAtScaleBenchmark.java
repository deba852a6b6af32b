package io.edgefleet.cluster.bench;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.cluster.Api;
import io.edgefleet.cluster.Bus;
import io.edgefleet.cluster.Fixtures;
import io.edgefleet.cluster.TestInfrastructure;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.testsupport.LatencyRounds;
import io.edgefleet.testsupport.QueryPlans;
import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * Benchmark, not a test (deploy/bench/list-at-scale.sh clusters): {@code GET /v1/clusters} with 10,000 clusters of
 * 3 nodes in one tenant (and as many in another): each filter's latency through REST (p50, p99 of the rounds) and
 * PostgreSQL's plans (EXPLAIN ANALYZE) of the queries a list runs — the page, its nodes, the count.
 *
 * <p>One cluster is created through the API (its row is what the service writes); the others are copies of its row
 * made in SQL, RUNNING or FAILED (statuses the orchestrator does not act on) and some DELETED (never listed), each with
 * a master and two RUNNING workers.
 */
@QuarkusTest
@TestInfrastructure
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ClusterListAtScaleBenchmark {

    private static final String TENANT = TestTokens.TENANT_A;

    @Inject
    AgroalDataSource db;

    @Test
    void listsAtTenThousandClusters() throws Exception {
        int clusters = Integer.getInteger("clusters", 10_000);
        int rounds = Integer.getInteger("rounds", 30);
        String source = sourceCluster();
        long t0 = System.nanoTime();
        copy(source, TENANT, 0x10000000, clusters);
        copy(source, TestTokens.TENANT_B, 0x20000000, clusters); // another tenant's rows must not slow this one
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute("analyze cluster");
            st.execute("analyze cluster_node");
        }
        System.out.printf(
                "[bench] %,d clusters of 3 nodes in each of 2 tenants copied in %d ms%n",
                clusters, (System.nanoTime() - t0) / 1_000_000);
        String token = TestTokens.viewer(TENANT);
        for (String query :
                List.of("size=50", "size=200", "size=50&page=150", "size=50&status=FAILED", "size=50&status=RUNNING")) {
            var result = LatencyRounds.get(
                    URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/clusters?" + query), token, rounds);
            System.out.printf(
                    "[bench] GET /v1/clusters?%-26s total %,7d  p50 %6.1f ms  p99 %6.1f ms  (%,d bytes)%n",
                    query,
                    JsonPath.from(result.lastBody()).getLong("total"),
                    result.p50Millis(),
                    result.p99Millis(),
                    result.lastBody().getBytes(StandardCharsets.UTF_8).length);
        }
        String listed = "tenant = 'tenant-a' and status <> 'DELETED'";
        QueryPlans.print(
                db,
                "the first page",
                "select * from cluster where " + listed + " order by created_at desc, id limit 50");
        QueryPlans.print(
                db,
                "page 150",
                "select * from cluster where " + listed + " order by created_at desc, id limit 50 offset 7500");
        QueryPlans.print(
                db,
                "by status",
                "select * from cluster where " + listed
                        + " and status = 'FAILED' order by created_at desc, id limit 50");
        QueryPlans.print(
                db,
                "the nodes of a page",
                "select * from cluster_node where cluster_id in (select id from cluster where " + listed
                        + " order by created_at desc, id limit 50) order by created_at, node_id");
        QueryPlans.print(db, "count of all", "select count(*) from cluster where " + listed);
        QueryPlans.print(
                db, "count by status", "select count(*) from cluster where " + listed + " and status = 'FAILED'");
    }

    /** A cluster of 1 master and 2 workers created through the API: its row is what the service writes. */
    private String sourceCluster() {
        Bus bus = new Bus(db);
        String uid = "list-" + UUID.randomUUID().toString().substring(0, 8);
        bus.appliance(
                TENANT, Fixtures.appliance(uid, ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(8, 16)));
        ProfileSnapshot profile =
                Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(TENANT, profile);
        return Api.admin(TENANT)
                .body(Fixtures.containerizedCluster("list-source", profile.id(), uid, 2, uid))
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** {@code n} copies of {@code source}'s cluster row in {@code tenant}, each with 3 nodes: 94 % RUNNING, 5 % FAILED, 1 %
     * DELETED, one a minute back in time. */
    private void copy(String source, String tenant, int firstId, int n) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement clusters = c.prepareStatement("""
                        insert into cluster (id, tenant, name, description, tags, status, status_reason, cloud_type,
                                             profile_id, addon_profile_ids, profiles, pack_values, cloud_config, pools,
                                             task_seq, revision, created_at, updated_at, health, policy_ids)
                        select 'c' || lpad(to_hex(? + i), 8, '0'), ?, 'bench-' || i, s.description, s.tags,
                               case when i % 100 = 0 then 'DELETED' when i % 20 = 0 then 'FAILED' else 'RUNNING' end,
                               case when i % 20 = 0 and i % 100 <> 0 then 'node create failed' end,
                               s.cloud_type, s.profile_id, s.addon_profile_ids, s.profiles, s.pack_values,
                               s.cloud_config, s.pools, s.task_seq, s.revision,
                               now() - i * interval '1 minute', now(), 'HEALTHY', s.policy_ids
                        from cluster s, generate_series(1, ?) i where s.id = ?""");
                PreparedStatement nodes = c.prepareStatement("""
                        insert into cluster_node (id, cluster_id, node_id, pool_name, appliance_uid, role, target,
                                                  state, spec_hash, ref, ip, addresses, created_at, updated_at)
                        select gen_random_uuid(), 'c' || lpad(to_hex(? + i), 8, '0'), n.node_id, n.pool,
                               'bench-' || i, n.role, 'PRESENT', 'RUNNING', 'bench', 'ref-' || i, '10.0.0.1',
                               '10.0.0.1', now() - i * interval '1 minute', now()
                        from generate_series(1, ?) i,
                             (values ('masters-0a1b', 'masters', 'MASTER'), ('workers-2c3d', 'workers', 'WORKER'),
                                     ('workers-4e5f', 'workers', 'WORKER')) n (node_id, pool, role)""")) {
            clusters.setInt(1, firstId);
            clusters.setString(2, tenant);
            clusters.setInt(3, n);
            clusters.setString(4, source);
            nodes.setInt(1, firstId);
            nodes.setInt(2, n);
            clusters.executeUpdate();
            nodes.executeUpdate();
        }
    }
}
