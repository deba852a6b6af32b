package io.edgefleet.policy;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.PolicyRunSnapshot;
import io.edgefleet.events.payload.ScanRequested;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.policy.Api.admin;
import static io.edgefleet.policy.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rollout's scan in the health gate, policy-service's side: a {@code scan-requested} (published the way cluster-service
 * publishes it) runs the named SCAN policy on the cluster as an on-demand run carrying the request id, once per id;
 * a policy that is missing, another tenant's or not SCAN is answered with a FAILED run and its reason.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScanGateRequestTest {

    @Inject
    AgroalDataSource db;

    Clusters clusters;
    String cluster;

    @BeforeAll
    void cluster() {
        clusters = new Clusters(db);
        cluster = Clusters.newId();
        // its appliance has no gateway: a scan run starts (RUNNING) and waits for it
        clusters.publish(
                TENANT_A,
                cluster,
                ClusterStatus.RUNNING,
                List.of(Clusters.node(cluster + "-m0", "masters", "app-" + cluster)));
    }

    @AfterAll
    void close() {
        clusters.close();
    }

    private static String policy(String tenant, Map<String, Object> body) {
        return admin(tenant)
                .body(body)
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String scanPolicy(String tenant) {
        return policy(
                tenant,
                Map.of(
                        "name",
                        "gate-scan-" + UUID.randomUUID(),
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("PENETRATION"))));
    }

    /** Asks for a scan and returns the run-changed events answering the request, once {@code count} came. */
    private List<PolicyRunSnapshot> ask(
            TopicReader reader, String tenant, String requestId, String policyId, int count) {
        clusters.scanRequested(
                tenant,
                new ScanRequested(
                        requestId, cluster, policyId, UUID.randomUUID().toString()));
        return reader
                .await(
                        r -> r.event().type().equals(EventTypes.POLICY_RUN_CHANGED)
                                && requestId.equals(r.event()
                                        .dataAs(PolicyRunSnapshot.class)
                                        .requestId()),
                        count,
                        Duration.ofSeconds(30))
                .stream()
                .map(r -> r.event().dataAs(PolicyRunSnapshot.class))
                .toList();
    }

    @Test
    void aScanPolicyRunsOnTheClusterOncePerRequest() {
        String policy = scanPolicy(TENANT_A);
        String request = UUID.randomUUID().toString();
        try (TopicReader reader = new TopicReader(Topics.POLICY_EVENTS)) {
            PolicyRunSnapshot run = ask(reader, TENANT_A, request, policy, 1).get(0);
            assertEquals("SCAN", run.kind());
            assertEquals(policy, run.policyId());
            assertEquals(cluster, run.clusterId());
            assertEquals("ON_DEMAND", run.trigger());
            assertEquals("RUNNING", run.status(), String.valueOf(run));
            assertNull(run.scan(), "no counts before it ended");

            // sent again (the same request, a new event): the same run is published again, none started
            List<PolicyRunSnapshot> answers = ask(reader, TENANT_A, request, policy, 2);
            assertEquals(2, answers.size());
            assertEquals(run.id(), answers.get(1).id());
            assertEquals(
                    1,
                    viewer(TENANT_A)
                            .get("/v1/scans?clusterId=" + cluster)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("items")
                            .size(),
                    "one scan of the cluster");
        }
    }

    @Test
    void aPolicyThatIsMissingAnotherTenantsOrNotAScanIsAFailedRunWithTheReason() {
        String osPatch = policy(
                TENANT_A, Map.of("name", "gate-os-" + UUID.randomUUID(), "kind", "OS_PATCH", "clusterIds", List.of()));
        String othersScan = scanPolicy(TENANT_B);
        try (TopicReader reader = new TopicReader(Topics.POLICY_EVENTS)) {
            PolicyRunSnapshot notScan = ask(reader, TENANT_A, UUID.randomUUID().toString(), osPatch, 1)
                    .get(0);
            assertEquals("FAILED", notScan.status());
            assertTrue(notScan.reason().contains("OS_PATCH policy, not SCAN"), notScan.reason());

            PolicyRunSnapshot others = ask(reader, TENANT_A, UUID.randomUUID().toString(), othersScan, 1)
                    .get(0);
            assertEquals("FAILED", others.status());
            assertEquals("no policy " + othersScan + " of this tenant", others.reason());
            assertNull(others.policyId(), "another tenant's policy is not named as the run's");

            String missing = UUID.randomUUID().toString();
            PolicyRunSnapshot none = ask(reader, TENANT_A, UUID.randomUUID().toString(), missing, 1)
                    .get(0);
            assertEquals("FAILED", none.status());
            assertEquals("no policy " + missing + " of this tenant", none.reason());
            assertEquals(new io.edgefleet.events.payload.ScanCounts(0, 0, 0, 0), none.scan(), "it checked nothing");
        }
    }
}
