package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.events.payload.RolloutMode;
import io.edgefleet.events.payload.ScanGate;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.ServiceProcess;
import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scan in a rollout's health gate end to end: this cluster-service and the real policy-service (its packaged jar as
 * a process, logged in to the same Kafka as its own principal, its own schema in the same PostgreSQL) and two real
 * gateways of SIMULATED appliances on the edge link. cluster-service asks for the scan ({@code scan-requested}),
 * policy-service runs the SCAN policy through the gateway, whose PENETRATION scan really probes the node's address
 * (each appliance's nodes answer at their own loopback address), and its {@code run-changed} decides the target.
 * (a) A port the policy forbids is open on the canary's address: the canary FAILS with the counts, the rollout PAUSES
 * (no failure tolerated) and the other cluster is never touched. (b) A policy whose checks pass: both clusters HEALTHY,
 * the rollout COMPLETED. (c) A re-link of a profile whose default strategy carries the scan: the rollout cluster-service
 * creates has it, and passes it.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutScanGateEndToEndTest {

    private static final Duration ROLL = Duration.ofSeconds(180);

    @Inject
    AgroalDataSource db;

    private final String run = UUID.randomUUID().toString().substring(0, 4);
    private final List<String> clusters = new ArrayList<>();
    private final List<SimulatedAppliance> appliances = new ArrayList<>();
    private ServiceProcess policyService;
    private Gateways gateways;
    private Bus bus;
    private ServerSocket planted;
    private ProfileSnapshot v1;
    private ProfileSnapshot v3;
    private String cleanPolicy;

    /** Made by the first test (RestAssured reaches the application only from a test method on). */
    private void fleetRunning() {
        if (policyService != null) {
            return;
        }
        policyService = ServiceProcess.startJar(
                "policy-service",
                Path.of("..", "policy-service", "target", "quarkus-app", "quarkus-run.jar"),
                policyServiceSettings(),
                Duration.ofMinutes(4));
        gateways = new Gateways();
        bus = new Bus(db);
        v1 = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(TENANT_A, v1);
        for (int i = 0; i < 2; i++) {
            String uid = "scan-e2e-" + run + "-" + i;
            // each appliance's nodes at their own loopback address: the scans probe exactly that node
            SimulatedAppliance driver = new SimulatedAppliance().reachableAt("127.0.0." + (31 + i));
            ApplianceSnapshot ready =
                    Fixtures.ready(gateways.start(TENANT_A, uid, false, Gateways.newStateDir(uid), driver), 1);
            bus.appliance(TENANT_A, ready);
            String id = admin(TENANT_A)
                    .body("""
                            {"name": "%s", "profileId": "%s",
                             "pools": [{"name": "masters", "master": true, "size": 1, "cpu": 1, "memoryGb": 1,
                                        "rollingStrategy": "EXPAND_FIRST", "appliances": [{"uid": "%s"}]}]}
                            """.formatted(uid, v1.id(), uid))
                    .post("/v1/clusters")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            gateways.track(id);
            clusters.add(id);
            appliances.add(driver);
        }
        clusters.forEach(id -> Api.awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(90)));
    }

    /**
     * policy-service's settings: the test PostgreSQL and OIDC server of this application, Kafka as its own principal
     * (the broker's ACLs as deployed); nothing else of this application's configuration (its schema, its channels).
     */
    private static Map<String, String> policyServiceSettings() {
        Config config = ConfigProvider.getConfig();
        Map<String, String> settings = new HashMap<>();
        for (String key : List.of(
                "quarkus.datasource.reactive.url",
                "quarkus.datasource.jdbc.url",
                "quarkus.datasource.username",
                "quarkus.datasource.password",
                "keycloak.url")) {
            settings.put(key, config.getValue(key, String.class));
        }
        KafkaTestResource.broker()
                .clientProperties("policy-service")
                .forEach((key, value) -> settings.put("kafka." + key, String.valueOf(value)));
        return settings;
    }

    @AfterAll
    void close() throws IOException {
        if (planted != null) {
            planted.close();
        }
        if (policyService != null) {
            policyService.stop();
        }
        appliances.forEach(SimulatedAppliance::release);
        if (gateways != null) {
            gateways.close();
            bus.close();
        }
    }

    /** A PENETRATION scan policy in policy-service, through its API; its id. */
    private String scanPolicy(String name, List<Integer> forbiddenPorts) {
        return given().baseUri(policyService.url())
                .auth()
                .oauth2(TestTokens.admin(TENANT_A))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        name + "-" + run,
                        "kind",
                        "SCAN",
                        "scan",
                        Map.of("kinds", List.of("PENETRATION"), "forbiddenPorts", forbiddenPorts)))
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String strategy(String policyId) {
        return """
                {"canaries": 1, "waveSize": 1, "maxConcurrency": 1, "maxFailures": 0, "healthTimeout": "PT3M",
                 "scan": {"policyId": "%s", "timeout": "PT3M"}}
                """.formatted(policyId);
    }

    @Test
    @Order(1)
    void aScanWithFailedChecksFailsTheCanaryAndPausesTheRollout() throws IOException {
        fleetRunning();
        int port = freePort();
        // the canary's address serves the port the policy forbids; the other cluster's address does not
        planted = new ServerSocket();
        planted.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.31"), port));
        String policy = scanPolicy("gate-strict", List.of(port));
        ProfileSnapshot v2 = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.28.9", "");
        bus.profile(TENANT_A, v2);
        long otherCreates = appliances.get(1).creates(clusters.get(1));

        String rollout = Rollouts.create(TENANT_A, "scan-fails-" + run, v2.id(), clusters, strategy(policy));
        JsonPath paused = Rollouts.await(TENANT_A, rollout, "PAUSED", p -> true, ROLL);

        assertEquals(List.of("FAILED", "PENDING"), paused.getList("clusters.state"), paused::prettify);
        assertEquals(clusters.get(0), paused.getString("clusters[0].clusterId"), paused::prettify);
        String reason = paused.getString("clusters[0].reason");
        assertTrue(reason.contains("did not pass") && reason.contains("1 failed"), reason);
        assertEquals("SUCCEEDED", paused.getString("clusters[0].scan.status"), "the scan ran; its checks failed");
        assertEquals(1, paused.getInt("clusters[0].scan.failed"), paused::prettify);
        assertTrue(paused.getInt("clusters[0].scan.passed") > 0, paused::prettify);
        String scanRun = paused.getString("clusters[0].scan.runId");
        assertNotNull(scanRun, paused::prettify);
        // policy-service's own record of that run: the finding at the planted port
        JsonPath scan = given().baseUri(policyService.url())
                .auth()
                .oauth2(TestTokens.viewer(TENANT_A))
                .get("/v1/scans/" + scanRun)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(clusters.get(0), scan.getString("clusterId"));
        assertEquals(
                List.of("open"),
                scan.getList("nodes.findings.flatten().findAll { it.checkId == 'EF-PT-" + port + "' }.evidence"),
                scan::prettify);
        assertNull(paused.get("clusters[1].scan"), "the second cluster was never scanned");
        assertEquals(otherCreates, appliances.get(1).creates(clusters.get(1)), "the second cluster untouched");
        assertEquals(v1.id(), Api.cluster(TENANT_A, clusters.get(1)).getString("profile.id"));

        admin(TENANT_A).post("/v1/rollouts/" + rollout + "/abort").then().statusCode(200);
        Rollouts.await(TENANT_A, rollout, "ABORTED", p -> true, Duration.ofSeconds(30));
    }

    @Test
    @Order(2)
    void aPassingScanMakesEachClusterHealthyAndTheRolloutCompletes() {
        fleetRunning();
        cleanPolicy = scanPolicy("gate-clean", List.of());
        String policy = cleanPolicy;
        // its default strategy carries the scan too (for the re-link below)
        v3 = Fixtures.withRollout(
                Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.29.4", ""),
                new ProfileRollout(
                        RolloutMode.ROLLOUT,
                        1,
                        1,
                        null,
                        1,
                        0,
                        null,
                        "PT0S",
                        "WAIT",
                        "PT1H",
                        "PT3M",
                        new ScanGate(policy, "FAILED", "PT3M")));
        bus.profile(TENANT_A, v3);

        String rollout = Rollouts.create(TENANT_A, "scan-passes-" + run, v3.id(), clusters, strategy(policy));
        JsonPath done = Rollouts.await(TENANT_A, rollout, "COMPLETED", p -> true, ROLL);

        assertEquals(List.of("HEALTHY", "HEALTHY"), done.getList("clusters.state"), done::prettify);
        for (int i = 0; i < clusters.size(); i++) {
            String at = "clusters[" + i + "].scan.";
            assertEquals("SUCCEEDED", done.getString(at + "status"), done::prettify);
            assertEquals(0, done.getInt(at + "failed"), done::prettify);
            assertTrue(done.getInt(at + "passed") > 0, done::prettify);
            assertEquals(v3.id(), Api.cluster(TENANT_A, clusters.get(i)).getString("profile.id"));
        }
    }

    @Test
    @Order(3)
    void theRolloutOfAReLinkCarriesTheScanOfTheProfilesDefaultStrategy() {
        bus.relinked(TENANT_A, Fixtures.relinked(v3, "1.29.5"));
        String rollout = Eventually.value(
                        Duration.ofSeconds(30),
                        Duration.ofMillis(200),
                        () -> Api.viewer(TENANT_A)
                                .queryParam("size", 100)
                                .get("/v1/rollouts")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .<String>getList("items.findAll { it.profileId == '" + v3.id() + "' }.id"),
                        ids -> ids.size() == 2)
                .stream()
                .filter(id -> "system".equals(Rollouts.get(TENANT_A, id).getString("createdBy")))
                .findFirst()
                .orElseThrow();
        JsonPath started = Rollouts.get(TENANT_A, rollout);
        assertEquals(cleanPolicy, started.getString("strategy.scan.policyId"), started::prettify);
        assertEquals("FAILED", started.getString("strategy.scan.failOn"));
        assertEquals("PT3M", started.getString("strategy.scan.timeout"));

        JsonPath done = Rollouts.await(TENANT_A, rollout, "COMPLETED", p -> true, ROLL);
        assertEquals(List.of("HEALTHY", "HEALTHY"), done.getList("clusters.state"), done::prettify);
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED"), done.getList("clusters.scan.status"), done::prettify);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
