package io.edgefleet.appliance.bench;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.appliance.TestInfrastructure;
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
            var result = LatencyRounds.get(
                    URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/appliances?" + query),
                    token,
                    rounds);
            System.out.printf(
                    "[bench] GET /v1/appliances?%-40s total %,7d  p50 %6.1f ms  p99 %6.1f ms  (%,d bytes)%n",
                    query,
                    JsonPath.from(result.lastBody()).getLong("total"),
                    result.p50Millis(),
                    result.p99Millis(),
                    result.lastBody().getBytes(StandardCharsets.UTF_8).length);
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
        QueryPlans.print(db, what, "select " + select + " from appliance where " + where);
    }
}
