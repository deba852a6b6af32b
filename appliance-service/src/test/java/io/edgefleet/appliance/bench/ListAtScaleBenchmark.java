package io.edgefleet.appliance.bench;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.appliance.TestInfrastructure;
import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * Benchmark, not a test (deploy/bench/list-at-scale.sh): {@code GET /v1/appliances} with 100,000 appliances in one
 * tenant (and as many in another): each filter's latency through REST (p50, p99 of the rounds) and PostgreSQL's plan
 * for the page query (EXPLAIN ANALYZE), so that a missing index shows as a sequential scan with its time.
 */
@QuarkusTest
@TestInfrastructure
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ListAtScaleBenchmark {

    private static final String TENANT = TestTokens.TENANT_A;

    @Inject
    AgroalDataSource db;

    @Test
    void listsAtAHundredThousandAppliances() throws Exception {
        int appliances = Integer.getInteger("appliances", 100_000);
        int rounds = Integer.getInteger("rounds", 30);
        String run = UUID.randomUUID().toString().substring(0, 6);
        long t0 = System.nanoTime();
        insert(TENANT, "bench-" + run, appliances);
        insert(TestTokens.TENANT_B, "bench-" + run, appliances); // another tenant's rows must not slow this one
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute("analyze appliance");
        }
        System.out.printf(
                "[bench] %,d appliances in each of 2 tenants inserted in %d ms%n",
                appliances, (System.nanoTime() - t0) / 1_000_000);
        String token = TestTokens.viewer(TENANT);
        for (String query : List.of(
                "size=50",
                "size=50&page=1000",
                "size=50&status=UNREACHABLE",
                "size=50&status=READY&kind=VM",
                "size=50&tag=site:store-4242",
                "size=50&tag=region:eu&tag=tier:gold",
                "size=50&tag=canary")) {
            List<Long> micros = new ArrayList<>();
            long total = -1;
            for (int i = 0; i < rounds; i++) {
                long s = System.nanoTime();
                total = given().auth()
                        .oauth2(token)
                        .get("/v1/appliances?" + query)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getLong("total");
                micros.add((System.nanoTime() - s) / 1_000);
            }
            micros.sort(null);
            System.out.printf(
                    "[bench] GET /v1/appliances?%-40s total %,7d  p50 %6.1f ms  p99 %6.1f ms%n",
                    query,
                    total,
                    micros.get(micros.size() / 2) / 1000.0,
                    micros.get(Math.min(micros.size() - 1, (int) Math.ceil(micros.size() * 0.99) - 1)) / 1000.0);
        }
        explain("the first page", "tenant = 'tenant-a' and registered order by uid limit 50");
        explain("page 1000", "tenant = 'tenant-a' and registered order by uid limit 50 offset 50000");
        explain("by status", "tenant = 'tenant-a' and registered and status = 'UNREACHABLE' order by uid limit 50");
        explain(
                "by tag value",
                "tenant = 'tenant-a' and registered and tags @> jsonb_build_object('site', 'store-4242')"
                        + " order by uid limit 50");
        explain(
                "by two broad tag values",
                "tenant = 'tenant-a' and registered and tags @> jsonb_build_object('region', 'eu')"
                        + " and tags @> jsonb_build_object('tier', 'gold') order by uid limit 50");
        explain("count of all", "tenant = 'tenant-a' and registered", "count(*)");
        explain("count by status", "tenant = 'tenant-a' and registered and status = 'UNREACHABLE'", "count(*)");
        explain(
                "count by tag value",
                "tenant = 'tenant-a' and registered and tags @> jsonb_build_object('region', 'eu')",
                "count(*)");
        explain("count by tag key", "tenant = 'tenant-a' and registered and tags_have_key(tags, 'canary')", "count(*)");
    }

    private void insert(String tenant, String prefix, int n) throws SQLException {
        // seen "tomorrow": the heartbeat monitor leaves them alone during the run
        // the shape of a fleet: 90 % READY, 8 % UNREACHABLE, 2 % UNPAIRED; ~1 % canary; sites of 1 to 3 appliances
        try (Connection c = db.getConnection();
                PreparedStatement st = c.prepareStatement("""
                        insert into appliance (id, tenant, uid, registered, status, tags, kind, created_at, updated_at,
                                               last_seen_at)
                        select gen_random_uuid(), ?, ? || '-' || i, true,
                               case when i % 50 = 0 then 'UNPAIRED' when i % 12 = 0 then 'UNREACHABLE' else 'READY' end,
                               jsonb_build_object('site', 'store-' || (i / 3), 'region', (array['eu','us','apac'])[1 + i % 3],
                                                  'tier', (array['gold','silver','bronze','bronze'])[1 + i % 4])
                                 || case when i % 97 = 0 then '{"canary": ""}'::jsonb else '{}'::jsonb end,
                               (array['VM','BARE_METAL','BARE_METAL_LIBVIRT'])[1 + i % 3], now(), now(),
                               now() + interval '1 day'
                        from generate_series(1, ?) i""")) {
            st.setString(1, tenant);
            st.setString(2, prefix);
            st.setInt(3, n);
            st.executeUpdate();
        }
    }

    private void explain(String what, String where) throws SQLException {
        explain(what, where, "*");
    }

    private void explain(String what, String where, String select) throws SQLException {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "explain (analyze, costs off) select " + select + " from appliance where " + where)) {
            System.out.printf("[bench] plan, %s:%n", what);
            while (rs.next()) {
                System.out.println("[bench]   " + rs.getString(1));
            }
        }
    }
}
