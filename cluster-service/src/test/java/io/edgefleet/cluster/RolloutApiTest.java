package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.events.payload.RolloutSnapshot;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.cluster.Api.PROBLEM;
import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The rollout API without gateways: validation (every bad field in one answer, nothing written), selection of the
 * target clusters into canary and waves, pause / resume / abort and their state rules, one unfinished rollout per
 * cluster, roles, tenant isolation, and the rollout events on {@code cluster-events}. No gateway runs here and the
 * appliances go offline once their clusters are made, so the rollout job starts none of them.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutApiTest {

    private static final String SCAN_POLICY = "0b7e4a52-3f1c-4d5e-9a8b-1c2d3e4f5a6b";

    @Inject
    AgroalDataSource db;

    private Bus bus;
    private String current;
    private String next;
    private final List<String> shops = new ArrayList<>();
    private String warehouse;
    private String clusterOfB;
    private String profileOfB;

    @BeforeAll
    void projections() {
        bus = new Bus(db);
        current = profile(TENANT_A);
        next = profile(TENANT_A);
        profileOfB = profile(TENANT_B);
    }

    /** The clusters, made once through the API (the HTTP port is known only once tests run). */
    @BeforeEach
    void fleet() {
        if (!shops.isEmpty()) {
            return;
        }
        for (int i = 1; i <= 5; i++) {
            shops.add(cluster(TENANT_A, "ro-shop-" + i, current, "shop"));
        }
        warehouse = cluster(TENANT_A, "ro-warehouse", current, "warehouse");
        clusterOfB = cluster(TENANT_B, "ro-b", profileOfB, "shop");
        // every appliance offline from now on: the rollout job holds these targets (WAITING_OFFLINE, or SKIPPED), so
        // the rules are tested on rollouts that no job pass completes or pauses meanwhile
        for (int i = 1; i <= 5; i++) {
            offline(TENANT_A, "ro-shop-" + i);
        }
        offline(TENANT_A, "ro-warehouse");
    }

    @AfterAll
    void close() {
        bus.close();
    }

    private String profile(String tenant) {
        ProfileSnapshot p = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(tenant, p);
        return p.id();
    }

    private String cluster(String tenant, String name, String profileId, String site) {
        bus.appliance(
                tenant, Fixtures.appliance(name, ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        return admin(tenant)
                .body("""
                        {"name": "%s", "profileId": "%s", "tags": {"site": "%s"},
                         "pools": [{"name": "cp", "master": true, "size": 1, "appliances": [{"uid": "%s"}]}]}
                        """.formatted(name, profileId, site, name))
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private void offline(String tenant, String uid) {
        bus.appliance(
                tenant,
                Fixtures.appliance(uid, ApplianceStatus.UNREACHABLE, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
    }

    private static ValidatableResponse create(String tenant, String body) {
        return admin(tenant).body(body).post("/v1/rollouts").then();
    }

    private long rolloutRows() {
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "select (select count(*) from cluster.rollout) + (select count(*) from cluster.outbox_message"
                                        + " where event_type = 'edgefleet.rollout.started.v1')")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyBadFieldIsNamedInOneAnswerAndNothingIsWritten() {
        long before = rolloutRows();
        create(TENANT_A, """
                {"profileId": "not a profile!",
                 "selector": {"clusterIds": ["nope", "%s", "%s"], "tags": {"": "x"}},
                 "strategy": {"canaries": -1, "waveSize": 5, "wavePercent": 10, "maxConcurrency": 0,
                              "maxFailures": 1, "maxFailurePercent": 5, "bakeTime": "ten minutes",
                              "offlineMode": "HOPE", "healthTimeout": "P30D",
                              "scan": {"failOn": "SOMETIMES", "timeout": "soon"}}}
                """.formatted(shops.get(0), shops.get(0)))
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:edgefleet:problem:invalid-request"))
                .body("errors.field", hasItem("name"))
                .body(
                        "errors.field",
                        org.hamcrest.Matchers.hasItems(
                                "name",
                                "profileId",
                                "selector.clusterIds[0]",
                                "selector.clusterIds[2]",
                                "selector.tags.", // TagRules names the key: here the empty one
                                "strategy.canaries",
                                "strategy.wavePercent",
                                "strategy.maxConcurrency",
                                "strategy.maxFailurePercent",
                                "strategy.bakeTime",
                                "strategy.offlineMode",
                                "strategy.healthTimeout",
                                "strategy.scan.policyId",
                                "strategy.scan.failOn",
                                "strategy.scan.timeout"))
                .body("errors.find { it.field == 'strategy.scan.failOn' }.message", containsString("FAILED, WARNED"))
                .body("errors.find { it.field == 'strategy.offlineMode' }.message", containsString("SKIP, WAIT, FAIL"))
                .body("errors.find { it.field == 'strategy.bakeTime' }.message", containsString("ISO-8601"));
        create(TENANT_A, """
                {"name": "no selector", "profileId": "%s", "selector": {}}
                """.formatted(next)).statusCode(400).body("errors.field", equalTo(List.of("selector")));
        create(TENANT_A, "").statusCode(400).contentType(PROBLEM);
        assertEquals(before, rolloutRows(), "a refused rollout writes nothing, and publishes nothing");
    }

    @Test
    void whatTheServiceKnowsIsCheckedToo() {
        create(TENANT_A, """
                {"name": "r", "profileId": "%s", "selector": {"clusterIds": ["%s", "c00000000"]}}
                """.formatted(UUID.randomUUID(), clusterOfB))
                .statusCode(400)
                .body(
                        "errors.field",
                        containsInAnyOrder("profileId", "selector.clusterIds[0]", "selector.clusterIds[1]"))
                .body("errors.find { it.field == 'selector.clusterIds[0]' }.message", containsString("no cluster"));
        create(TENANT_A, """
                {"name": "r", "profileId": "%s", "selector": {"tags": {"site": "moon"}}}
                """.formatted(next))
                .statusCode(400)
                .body("errors.find { it.field == 'selector' }.message", containsString("matches no cluster"));
    }

    @Test
    void clustersAreSelectedIntoACanaryAndWavesAllPending() {
        try (TopicReader events = new TopicReader(Topics.CLUSTER_EVENTS)) {
            var created = create(TENANT_A, """
                    {"name": "k8s to the shops", "profileId": "%s",
                     "selector": {"profileIds": ["%s"], "tags": {"site": "shop"}},
                     "strategy": {"canaries": 1, "waveSize": 2, "maxConcurrency": 2, "offlineMode": "SKIP",
                                  "bakeTime": "PT5M", "scan": {"policyId": "%s"}}}
                    """.formatted(next, current, SCAN_POLICY))
                    .statusCode(201)
                    .header("Location", containsString("/v1/rollouts/"))
                    .body("status", equalTo("RUNNING"))
                    .body("waves", equalTo(3))
                    .body("counts", equalTo(Map.of("PENDING", 5)))
                    .body("strategy.bakeTime", equalTo("PT5M"))
                    .body("strategy.offlineMode", equalTo("SKIP"))
                    .body("strategy.healthTimeout", equalTo("PT30M"))
                    .body("strategy.scan.policyId", equalTo(SCAN_POLICY))
                    .body("strategy.scan.failOn", equalTo("FAILED"))
                    .body("strategy.scan.timeout", equalTo("PT30M"))
                    .body("clusters.clusterId", equalTo(shops))
                    .body("clusters.wave", equalTo(List.of(0, 1, 1, 2, 2)))
                    .body("clusters.state", everyItem(equalTo("PENDING")))
                    .body("clusters.fromProfileId", everyItem(equalTo(current)))
                    .body("clusters.clusterId", not(hasItem(warehouse)))
                    .extract()
                    .jsonPath();
            String id = created.getString("id");
            var started = events.await(
                    r -> id.equals(r.key())
                            && EventTypes.ROLLOUT_STARTED.equals(r.event().type()),
                    1,
                    Duration.ofSeconds(20));
            RolloutSnapshot snapshot = started.get(0).event().dataAs(RolloutSnapshot.class);
            assertEquals(Map.of("PENDING", 5), snapshot.clusters());
            assertEquals(next, snapshot.profileId());
            assertEquals(TENANT_A, started.get(0).event().tenant());

            viewer(TENANT_A).get("/v1/rollouts/" + id).then().statusCode(200).body("name", equalTo("k8s to the shops"));
            viewer(TENANT_A)
                    .get("/v1/rollouts?status=RUNNING")
                    .then()
                    .statusCode(200)
                    .body("items.id", hasItem(id));
            admin(TENANT_A).post("/v1/rollouts/" + id + "/abort").then().statusCode(200);
        }
    }

    @Test
    void pauseResumeAbortFollowTheStateRulesAndPublish() {
        String target = shops.get(4);
        try (TopicReader events = new TopicReader(Topics.CLUSTER_EVENTS)) {
            String id = create(TENANT_A, """
                    {"name": "one shop", "profileId": "%s", "selector": {"clusterIds": ["%s"]}}
                    """.formatted(next, target))
                    .statusCode(201)
                    .extract()
                    .path("id");
            create(TENANT_A, """
                    {"name": "same shop again", "profileId": "%s", "selector": {"clusterIds": ["%s"]}}
                    """.formatted(next, target))
                    .statusCode(409)
                    .contentType(PROBLEM)
                    .body("detail", containsString(target));

            admin(TENANT_A)
                    .post("/v1/rollouts/" + id + "/resume")
                    .then()
                    .statusCode(409)
                    .contentType(PROBLEM);
            admin(TENANT_A)
                    .post("/v1/rollouts/" + id + "/pause")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("PAUSED"))
                    .body("statusReason", equalTo("paused by an operator"));
            admin(TENANT_A).post("/v1/rollouts/" + id + "/pause").then().statusCode(409);
            admin(TENANT_A)
                    .post("/v1/rollouts/" + id + "/resume")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("RUNNING"));
            admin(TENANT_A)
                    .post("/v1/rollouts/" + id + "/abort")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("ABORTED"));
            admin(TENANT_A).post("/v1/rollouts/" + id + "/abort").then().statusCode(409);
            admin(TENANT_A).post("/v1/rollouts/" + id + "/resume").then().statusCode(409);

            List<String> types = events
                    .await(
                            r -> id.equals(r.key())
                                    && !EventTypes.ROLLOUT_PROGRESSED.equals(
                                            r.event().type()),
                            4,
                            Duration.ofSeconds(20))
                    .stream()
                    .map(r -> r.event().type())
                    .toList();
            assertEquals(
                    List.of(
                            EventTypes.ROLLOUT_STARTED,
                            EventTypes.ROLLOUT_PAUSED,
                            EventTypes.ROLLOUT_RESUMED,
                            EventTypes.ROLLOUT_ABORTED),
                    types);
            // the cluster is free again once its rollout is finished
            String again = create(TENANT_A, """
                    {"name": "same shop, later", "profileId": "%s", "selector": {"clusterIds": ["%s"]}}
                    """.formatted(next, target))
                    .statusCode(201)
                    .extract()
                    .path("id");
            admin(TENANT_A).post("/v1/rollouts/" + again + "/abort").then().statusCode(200);
        }
    }

    @Test
    void tenantsAreIsolatedAndViewersOnlyRead() {
        String id = create(TENANT_A, """
                {"name": "private", "profileId": "%s", "selector": {"clusterIds": ["%s"]}}
                """.formatted(next, warehouse))
                .statusCode(201)
                .extract()
                .path("id");
        viewer(TENANT_B).get("/v1/rollouts/" + id).then().statusCode(404).contentType(PROBLEM);
        admin(TENANT_B).post("/v1/rollouts/" + id + "/pause").then().statusCode(404);
        admin(TENANT_B).post("/v1/rollouts/" + id + "/abort").then().statusCode(404);
        viewer(TENANT_B).get("/v1/rollouts").then().statusCode(200).body("items.id", not(hasItem(id)));
        viewer(TENANT_A).get("/v1/rollouts/not-a-uuid").then().statusCode(404).contentType(PROBLEM);

        viewer(TENANT_A).body("""
                        {"name":"v"}""").post("/v1/rollouts").then().statusCode(403).contentType(PROBLEM);
        viewer(TENANT_A).post("/v1/rollouts/" + id + "/pause").then().statusCode(403);
        viewer(TENANT_A).post("/v1/rollouts/" + id + "/abort").then().statusCode(403);
        JsonPath still = viewer(TENANT_A)
                .get("/v1/rollouts/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("RUNNING", still.getString("status"), "neither the other tenant nor a viewer changed it");
        admin(TENANT_A).post("/v1/rollouts/" + id + "/abort").then().statusCode(200);
    }

    @Test
    void aClustersMaintenanceWindowIsCheckedSetShownPublishedAndRemoved() {
        String shop = shops.get(4);
        String path = "/v1/clusters/" + shop + "/maintenance-window";
        admin(TENANT_A)
                .body("""
                        {"cron": "0 25 * *", "zone": "Mars/Olympus", "duration": "four hours"}""")
                .put(path)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body(
                        "errors.field",
                        containsInAnyOrder(
                                "maintenanceWindow.cron", "maintenanceWindow.zone", "maintenanceWindow.duration"));
        admin(TENANT_A)
                .body("""
                        {"cron": "0 61 * * *", "zone": "UTC", "duration": "P30D"}""")
                .put(path)
                .then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("maintenanceWindow.cron", "maintenanceWindow.duration"));
        admin(TENANT_A).put(path).then().statusCode(400).contentType(PROBLEM);
        viewer(TENANT_A).body("""
                        {"cron": "0 22 * * 6", "zone": "Europe/Berlin", "duration": "PT4H"}""").put(path).then().statusCode(403);
        admin(TENANT_B).body("""
                        {"cron": "0 22 * * 6", "zone": "Europe/Berlin", "duration": "PT4H"}""").put(path).then().statusCode(404);
        assertNull(Api.cluster(TENANT_A, shop).get("maintenanceWindow"), "the refused requests wrote nothing");

        try (TopicReader events = new TopicReader(Topics.CLUSTER_EVENTS)) {
            admin(TENANT_A)
                    .body("""
                            {"cron": "0 22 * * 6", "zone": "Europe/Berlin", "duration": "PT4H"}""")
                    .put(path)
                    .then()
                    .statusCode(200)
                    .body("maintenanceWindow.cron", equalTo("0 22 * * 6"))
                    .body("maintenanceWindow.zone", equalTo("Europe/Berlin"))
                    .body("maintenanceWindow.duration", equalTo("PT4H"));
            assertEquals("PT4H", Api.cluster(TENANT_A, shop).getString("maintenanceWindow.duration"));
            var updated = events.await(
                    r -> shop.equals(r.key())
                            && EventTypes.CLUSTER_UPDATED.equals(r.event().type())
                            && r.event().dataAs(ClusterSnapshot.class).maintenanceWindow() != null,
                    1,
                    Duration.ofSeconds(20));
            assertEquals(
                    new ClusterSnapshot.MaintenanceWindow("0 22 * * 6", "Europe/Berlin", "PT4H"),
                    updated.get(0).event().dataAs(ClusterSnapshot.class).maintenanceWindow());
        }
        viewer(TENANT_A).delete(path).then().statusCode(403);
        admin(TENANT_A).delete(path).then().statusCode(200).body("maintenanceWindow", equalTo(null));
        assertNull(Api.cluster(TENANT_A, shop).get("maintenanceWindow"));
    }
}
