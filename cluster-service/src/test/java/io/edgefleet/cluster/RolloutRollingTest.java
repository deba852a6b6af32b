package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileRelinked;
import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.events.payload.RolloutMode;
import io.edgefleet.events.payload.RolloutSnapshot;
import io.edgefleet.events.payload.UnreachableReason;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TestTokens;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollouts over a fleet of 18 clusters, each on its own SIMULATED appliance: a real gateway in this JVM on the real
 * edge link (Mosquitto, the bridge, Kafka) whose node driver records what it is asked and creates nothing
 * ({@link SimulatedAppliance}). The clusters are made RUNNING once, then each scenario rolls its own clusters from
 * profile version {@code current} to {@code next}, with the runner's 1 s interval of the test profile:
 * <ul>
 *   <li>a rollout in waves never has more than {@code maxConcurrency} clusters rolling (from the targets' start and
 *   finish times) and ends with every cluster RUNNING on the new version, each node re-created on its appliance;
 *   its event stream shows the progress live and ends with the rollout COMPLETED;</li>
 *   <li>a canary whose appliance cannot create nodes pauses the rollout and no other cluster is touched; rolled back
 *   (its appliance repaired) it is RUNNING on the version it had, ROLLED_BACK;</li>
 *   <li>an abort while a wave is rolling starts nothing new, and every cluster ends RUNNING on one version or the
 *   other;</li>
 *   <li>an offline appliance is SKIPPED (offlineMode SKIP) or FAILED (offlineMode FAIL);</li>
 *   <li>a cluster outside its maintenance window waits (WAITING_WINDOW), untouched, until its window is open;</li>
 *   <li>a re-link of a profile whose strategy is ROLLOUT creates a rollout (by {@code system}) over its RUNNING
 *   clusters with the profile's strategy instead of rolling them at once: no cluster rolls before its wave; a re-link
 *   while that rollout holds them is left to it. (An IMMEDIATE profile's re-link still rolls every cluster at once:
 *   {@code ContainerizedClusterTest#rollsEveryNodeForwardWhenTheProfileIsRelinked}.)</li>
 * </ul>
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutRollingTest {

    private static final int WAVES = 7,
            CANARY = 3,
            ABORT = 4,
            OFFLINE = 3,
            WINDOW = 1,
            RELINK = 3,
            UPDATE = 2,
            IMMEDIATE = 1;

    @Inject
    AgroalDataSource db;

    private final String run = UUID.randomUUID().toString().substring(0, 4);
    private Gateways gateways;
    private Bus bus;
    private String current;
    private String next;
    /** The ROLLOUT profile of the re-link scenario's clusters. */
    private ProfileSnapshot relinkable;
    /** The ROLLOUT profile of the update scenario's clusters, and the IMMEDIATE one. */
    private ProfileSnapshot updatable, immediate;
    /** Per scenario: its clusters, in order. */
    private final Map<String, List<String>> fleet = new LinkedHashMap<>();

    private final Map<String, SimulatedAppliance> appliances = new LinkedHashMap<>();
    private final Map<String, ApplianceSnapshot> paired = new LinkedHashMap<>();

    /** Made by the first scenario (RestAssured reaches the application only from a test method on). */
    private void fleetRunning() {
        if (!fleet.isEmpty()) {
            return;
        }
        gateways = new Gateways();
        bus = new Bus(db);
        ProfileSnapshot v1 = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        ProfileSnapshot v2 = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.28.9", "");
        bus.profile(TENANT_A, v1);
        bus.profile(TENANT_A, v2);
        current = v1.id();
        next = v2.id();
        relinkable = Fixtures.withRollout(
                Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", ""),
                new ProfileRollout(RolloutMode.ROLLOUT, 1, 2, null, 2, 0, null, "PT3S", "WAIT", "PT1H", "PT60S"));
        bus.profile(TENANT_A, relinkable);
        updatable = Fixtures.withRollout(
                Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", ""),
                new ProfileRollout(RolloutMode.ROLLOUT, 1, 1, null, 1, 0, null, "PT0S", "WAIT", "PT1H", "PT60S"));
        bus.profile(TENANT_A, updatable);
        immediate = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(TENANT_A, immediate);
        Map<String, Integer> sizes = Map.of(
                "waves",
                WAVES,
                "canary",
                CANARY,
                "abort",
                ABORT,
                "offline",
                OFFLINE,
                "window",
                WINDOW,
                "relink",
                RELINK,
                "update",
                UPDATE,
                "immediate",
                IMMEDIATE);
        Map<String, String> profileOf =
                Map.of("relink", relinkable.id(), "update", updatable.id(), "immediate", immediate.id());
        List<String> all = new ArrayList<>();
        for (String scenario :
                List.of("waves", "canary", "abort", "offline", "window", "relink", "update", "immediate")) {
            String profileId = profileOf.getOrDefault(scenario, current);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < sizes.get(scenario); i++) {
                String uid = "roll-" + run + "-" + scenario + "-" + i;
                Rollouts.OneMaster cluster =
                        Rollouts.oneMasterOnItsOwnAppliance(gateways, bus, TENANT_A, uid, profileId);
                appliances.put(cluster.id(), cluster.appliance());
                paired.put(cluster.id(), cluster.ready());
                ids.add(cluster.id());
            }
            fleet.put(scenario, ids);
            all.addAll(ids);
        }
        all.forEach(id -> Api.awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(90)));
        all.forEach(id -> assertEquals(1, appliances.get(id).creates(id), "one node created per cluster"));
    }

    @AfterAll
    void close() {
        appliances.values().forEach(SimulatedAppliance::release);
        if (gateways != null) {
            gateways.close();
            bus.close();
        }
    }

    @Test
    void wavesNeverRollMoreThanMaxConcurrencyAndEveryClusterEndsOnTheNewVersion() throws Exception {
        fleetRunning();
        List<String> ids = fleet.get("waves");
        String id = create("waves", ids, """
                {"canaries": 1, "waveSize": 3, "maxConcurrency": 2, "healthTimeout": "PT60S"}""");
        // followed live: the stream ends by itself once the rollout is COMPLETED
        CompletableFuture<String> followed = CompletableFuture.supplyAsync(() -> follow(id, null));
        JsonPath done = await(id, "COMPLETED", p -> true, Duration.ofSeconds(120));
        List<JsonPath> events = events(followed.get(30, TimeUnit.SECONDS));
        assertTrue(events.size() >= 3, () -> events.size() + " events");
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i).getLong("revision") > events.get(i - 1).getLong("revision"), "in order");
        }
        assertTrue(events.stream().anyMatch(e -> e.getList("clusters.state").contains("ROLLING")));
        JsonPath last = events.get(events.size() - 1);
        assertEquals("COMPLETED", last.getString("status"));
        assertEquals(done.getList("clusters.state"), last.getList("clusters.state"));
        assertEquals(done.getString("clusters[6].finishedAt"), last.getString("clusters[6].finishedAt"));
        // resumed after its last event, a finished rollout's stream has nothing more and ends
        assertEquals(List.of(), events(follow(id, last.getString("revision"))));
        viewer(TENANT_B)
                .header("Accept", "text/event-stream")
                .get("/v1/rollouts/" + id + "/events")
                .then()
                .statusCode(404);
        assertEquals(List.of(0, 1, 1, 1, 2, 2, 2), done.getList("clusters.wave"));
        assertEquals(ids.stream().map(c -> "HEALTHY").toList(), done.getList("clusters.state"), done.prettify());

        // at any start, fewer than maxConcurrency clusters were rolling (a finish and a start in one pass share
        // their instant: the finished one no longer counts)
        List<Instant[]> spans = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            spans.add(new Instant[] {
                Instant.parse(done.getString("clusters[" + i + "].startedAt")),
                Instant.parse(done.getString("clusters[" + i + "].finishedAt"))
            });
        }
        for (Instant[] s : spans) {
            long rolling = spans.stream()
                    .filter(o -> !o[0].isAfter(s[0]) && o[1].isAfter(s[0]))
                    .count();
            assertTrue(rolling <= 2, () -> rolling + " clusters rolling at once: " + done.prettify());
        }
        // a wave starts only when the one before is finished
        for (int i = 0; i < ids.size(); i++) {
            for (int j = 0; j < ids.size(); j++) {
                if (done.getInt("clusters[" + j + "].wave") < done.getInt("clusters[" + i + "].wave")) {
                    assertTrue(!spans.get(i)[0].isBefore(spans.get(j)[1]), done::prettify);
                }
            }
        }
        for (String cluster : ids) {
            JsonPath c = Api.cluster(TENANT_A, cluster);
            assertEquals("RUNNING", c.getString("status"));
            assertEquals(next, c.getString("profile.id"));
            assertEquals(2, appliances.get(cluster).creates(cluster), "its node re-created on its appliance");
        }
    }

    @Test
    void aCanaryThatFailsOnItsAppliancePausesTheRolloutAndNothingElseIsTouched() {
        fleetRunning();
        List<String> ids = fleet.get("canary");
        appliances.get(ids.get(0)).breakIt();
        String id = create("canary", ids, """
                {"canaries": 1, "waveSize": 2, "maxConcurrency": 2, "healthTimeout": "PT60S"}""");
        JsonPath paused = await(id, "PAUSED", p -> true, Duration.ofSeconds(90));
        assertEquals("a canary cluster failed", paused.getString("statusReason"));
        assertEquals(List.of("FAILED", "PENDING", "PENDING"), paused.getList("clusters.state"), paused.prettify());
        assertEquals("FAILED", Api.status(TENANT_A, ids.get(0)));
        for (String other : ids.subList(1, ids.size())) {
            JsonPath c = Api.cluster(TENANT_A, other);
            assertEquals(current, c.getString("profile.id"), "not touched");
            assertEquals("RUNNING", c.getString("status"));
            assertEquals(1, appliances.get(other).creates(other), "its appliance was asked nothing");
        }

        // the failed canary is rolled back to the version it had (its appliance repaired meanwhile)
        String canary = ids.get(0);
        String rollback = "/v1/rollouts/" + id + "/clusters/" + canary + "/rollback";
        admin(TENANT_A)
                .post("/v1/rollouts/" + id + "/clusters/" + ids.get(1) + "/rollback")
                .then()
                .statusCode(409)
                .contentType(Api.PROBLEM)
                .body("detail", containsString("PENDING"));
        admin(TENANT_A)
                .post("/v1/rollouts/" + id + "/clusters/c00000000/rollback")
                .then()
                .statusCode(404);
        viewer(TENANT_A).post(rollback).then().statusCode(403);
        admin(TENANT_B).post(rollback).then().statusCode(404);
        appliances.get(canary).repair();
        try (TopicReader events = new TopicReader(Topics.CLUSTER_EVENTS)) {
            admin(TENANT_A)
                    .post(rollback)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("PAUSED"))
                    .body("clusters[0].state", equalTo("ROLLING_BACK"));
            RolloutSnapshot started = events.await(
                            r -> id.equals(r.key())
                                    && EventTypes.ROLLOUT_ROLLBACK_STARTED.equals(
                                            r.event().type()),
                            1,
                            Duration.ofSeconds(20))
                    .get(0)
                    .event()
                    .dataAs(RolloutSnapshot.class);
            assertEquals(canary, started.clusterId());
            assertEquals(1, started.clusters().get("ROLLING_BACK"));
        }
        JsonPath rolledBack = await(
                id, "PAUSED", p -> "ROLLED_BACK".equals(p.getString("clusters[0].state")), Duration.ofSeconds(60));
        assertEquals(List.of("ROLLED_BACK", "PENDING", "PENDING"), rolledBack.getList("clusters.state"));
        JsonPath c = Api.awaitStatus(TENANT_A, canary, "RUNNING", Duration.ofSeconds(30));
        assertEquals(current, c.getString("profile.id"), "back on the version it had");
        assertEquals("HEALTHY", c.getString("health"));
        admin(TENANT_A).post(rollback).then().statusCode(409); // ROLLED_BACK already
        for (String other : ids.subList(1, ids.size())) {
            assertEquals(1, appliances.get(other).creates(other), "still nothing else touched");
        }
        admin(TENANT_A).post("/v1/rollouts/" + id + "/abort").then().statusCode(200);
    }

    @Test
    void anAbortMidWaveStartsNothingNewAndEveryClusterEndsRunningOnOneVersion() {
        fleetRunning();
        List<String> ids = fleet.get("abort");
        ids.forEach(c -> appliances.get(c).hold());
        String id = create("abort", ids, """
                {"canaries": 0, "waveSize": 4, "maxConcurrency": 2, "healthTimeout": "PT60S"}""");
        JsonPath rolling = await(
                id,
                "RUNNING",
                p -> p.getList("clusters.state").stream()
                                .filter("ROLLING"::equals)
                                .count()
                        == 2,
                Duration.ofSeconds(30));
        admin(TENANT_A).post("/v1/rollouts/" + id + "/abort").then().statusCode(200);
        List<String> started = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if ("ROLLING".equals(rolling.getString("clusters[" + i + "].state"))) {
                started.add(ids.get(i));
            }
        }
        ids.forEach(c -> appliances.get(c).release());

        // the started clusters finish their change (the health gate still records it); the others stay as they were
        JsonPath aborted = await(
                id,
                "ABORTED",
                p -> p.getList("clusters.state").stream().noneMatch("ROLLING"::equals),
                Duration.ofSeconds(60));
        for (int i = 0; i < ids.size(); i++) {
            String cluster = ids.get(i);
            JsonPath c = Api.awaitStatus(TENANT_A, cluster, "RUNNING", Duration.ofSeconds(30));
            if (started.contains(cluster)) {
                assertEquals("HEALTHY", aborted.getString("clusters[" + i + "].state"));
                assertEquals(next, c.getString("profile.id"));
                assertEquals(2, appliances.get(cluster).creates(cluster));
            } else {
                assertEquals("PENDING", aborted.getString("clusters[" + i + "].state"));
                assertEquals(current, c.getString("profile.id"), "nothing new started after the abort");
                assertEquals(1, appliances.get(cluster).creates(cluster));
            }
        }
        assertEquals(2, started.size());
    }

    @Test
    void anOfflineApplianceIsSkippedOrFailedAsTheRolloutSays() {
        fleetRunning();
        List<String> ids = fleet.get("offline");
        String online = ids.get(0), skipped = ids.get(1), failed = ids.get(2);
        offline(skipped);
        offline(failed);

        String skip = create("offline skip", List.of(online, skipped), """
                {"canaries": 0, "waveSize": 2, "maxConcurrency": 2, "offlineMode": "SKIP", "healthTimeout": "PT60S"}""");
        JsonPath done = await(skip, "COMPLETED", p -> true, Duration.ofSeconds(60));
        assertEquals(List.of("HEALTHY", "SKIPPED"), done.getList("clusters.state"), done.prettify());
        assertEquals("appliance offline (offlineMode SKIP)", done.getString("clusters[1].reason"));
        assertEquals(next, Api.cluster(TENANT_A, online).getString("profile.id"));
        assertEquals(current, Api.cluster(TENANT_A, skipped).getString("profile.id"));

        String fail = create("offline fail", List.of(failed), """
                {"canaries": 0, "waveSize": 1, "maxConcurrency": 1, "offlineMode": "FAIL"}""");
        JsonPath paused = await(fail, "PAUSED", p -> true, Duration.ofSeconds(60));
        assertEquals("FAILED", paused.getString("clusters[0].state"));
        assertEquals("appliance offline (offlineMode FAIL)", paused.getString("clusters[0].reason"));
        assertEquals(current, Api.cluster(TENANT_A, failed).getString("profile.id"));
        assertEquals(1, appliances.get(skipped).creates(skipped), "its appliance was asked nothing");
        assertEquals(1, appliances.get(failed).creates(failed), "its appliance was asked nothing");
        admin(TENANT_A).post("/v1/rollouts/" + fail + "/abort").then().statusCode(200);
    }

    @Test
    void aClusterOutsideItsMaintenanceWindowWaitsUntouchedUntilTheWindowIsOpen() {
        fleetRunning();
        String cluster = fleet.get("window").get(0);
        int closedHour = (Instant.now().atZone(java.time.ZoneOffset.UTC).getHour() + 12) % 24;
        admin(TENANT_A)
                .body("""
                        {"cron": "0 %d * * *", "zone": "UTC", "duration": "PT1H"}""".formatted(closedHour))
                .put("/v1/clusters/" + cluster + "/maintenance-window")
                .then()
                .statusCode(200);
        String id = create("window", List.of(cluster), """
                {"canaries": 0, "waveSize": 1, "maxConcurrency": 1, "healthTimeout": "PT60S"}""");
        JsonPath waiting = await(
                id, "RUNNING", p -> "WAITING_WINDOW".equals(p.getString("clusters[0].state")), Duration.ofSeconds(30));
        assertTrue(
                waiting.getString("clusters[0].reason").startsWith("outside its maintenance window (0 " + closedHour),
                waiting::prettify);
        assertEquals(current, Api.cluster(TENANT_A, cluster).getString("profile.id"));
        assertEquals(1, appliances.get(cluster).creates(cluster), "its appliance was asked nothing");

        admin(TENANT_A)
                .body("""
                        {"cron": "* * * * *", "zone": "Europe/Berlin", "duration": "PT1H"}""")
                .put("/v1/clusters/" + cluster + "/maintenance-window")
                .then()
                .statusCode(200);
        JsonPath done = await(id, "COMPLETED", p -> true, Duration.ofSeconds(60));
        assertEquals("HEALTHY", done.getString("clusters[0].state"));
        assertEquals(next, Api.cluster(TENANT_A, cluster).getString("profile.id"));
        assertEquals(2, appliances.get(cluster).creates(cluster));
    }

    /** The rollout's event stream, read to its end (it ends once the rollout is finished). */
    private static String follow(String id, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/rollouts/" + id + "/events"))
                .header("Authorization", "Bearer " + TestTokens.viewer(TENANT_A))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(120));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The data of each {@code event: rollout}. */
    private static List<JsonPath> events(String stream) {
        List<JsonPath> events = new ArrayList<>();
        String name = null;
        for (String line : stream.split("\n")) {
            if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:") && "rollout".equals(name)) {
                events.add(JsonPath.from(line.substring(5).trim()));
            }
        }
        return events;
    }

    /** What appliance-service publishes when the appliance's gateway misses its heartbeat deadline. */
    private void offline(String clusterId) {
        ApplianceSnapshot a = paired.get(clusterId);
        gateways.stop(a.uid());
        bus.appliance(
                TENANT_A,
                new ApplianceSnapshot(
                        a.uid(),
                        ApplianceStatus.UNREACHABLE,
                        a.name(),
                        a.tags(),
                        a.kind(),
                        a.inventory(),
                        a.gatewayVersion(),
                        a.mode(),
                        a.podCidr(),
                        a.serviceCidr(),
                        a.proxy(),
                        a.lastSeenAt(),
                        clusterId,
                        a.version() + 1,
                        a.identity(),
                        UnreachableReason.HEARTBEATS_MISSED,
                        a.lastSeenAt()));
    }

    @Test
    void aReLinkOfARolloutProfileCreatesARolloutAndNoClusterRollsBeforeItsWave() {
        fleetRunning();
        List<String> ids = fleet.get("relink");
        try (TopicReader events = new TopicReader(Topics.CLUSTER_EVENTS)) {
            ProfileRelinked relink = Fixtures.relinked(relinkable, "1.27.14");
            bus.relinked(TENANT_A, relink);
            String id = rolloutsOf(relinkable.id(), 1).get(0);
            JsonPath first = rollout(id);
            assertEquals("system", first.getString("createdBy"));
            assertTrue(first.getString("name").contains("kubernetes 1.27.13 → 1.27.14"), first::prettify);
            assertEquals(
                    ids, first.getList("clusters.clusterId"), "every RUNNING cluster of the profile, oldest first");
            assertEquals(
                    List.of(0, 1, 1), first.getList("clusters.wave"), "the profile's strategy: 1 canary, waves of 2");
            // the later wave has not started: its clusters are untouched on their appliances
            for (int i = 1; i < ids.size(); i++) {
                assertEquals("PENDING", first.getString("clusters[" + i + "].state"), first::prettify);
                assertEquals(1, appliances.get(ids.get(i)).creates(ids.get(i)), "not rolled at once");
            }

            JsonPath done = await(id, "COMPLETED", p -> true, Duration.ofSeconds(120));
            assertEquals(List.of("HEALTHY", "HEALTHY", "HEALTHY"), done.getList("clusters.state"), done::prettify);
            // wave 1 started only after the canary was healthy and baked (PT3S)
            Instant canaryDone = Instant.parse(done.getString("clusters[0].finishedAt"));
            for (int i = 1; i < ids.size(); i++) {
                Instant started = Instant.parse(done.getString("clusters[" + i + "].startedAt"));
                assertTrue(!started.isBefore(canaryDone.plusSeconds(3)), done::prettify);
            }
            for (String cluster : ids) {
                JsonPath c = Api.cluster(TENANT_A, cluster);
                assertEquals("RUNNING", c.getString("status"));
                assertEquals(relinkable.id(), c.getString("profile.id"));
                assertEquals(2, appliances.get(cluster).creates(cluster), "rolled once, by the rollout");
            }
            RolloutSnapshot started = events.await(
                            r -> id.equals(r.key())
                                    && EventTypes.ROLLOUT_STARTED.equals(
                                            r.event().type()),
                            1,
                            Duration.ofSeconds(20))
                    .get(0)
                    .event()
                    .dataAs(RolloutSnapshot.class);
            assertEquals("system", started.createdBy(), "the event says who created the rollout");

            // the next re-link makes a new rollout; one arriving while that rollout holds the clusters is left to it
            ProfileRelinked second = Fixtures.relinked(relink.profile(), "1.27.15");
            bus.relinked(TENANT_A, second);
            String secondId = rolloutsOf(relinkable.id(), 2).get(0);
            bus.relinked(TENANT_A, Fixtures.relinked(second.profile(), "1.27.16"));
            await(secondId, "COMPLETED", p -> true, Duration.ofSeconds(120));
            assertEquals(
                    2, rolloutsOf(relinkable.id(), 2).size(), "no rollout for the re-link left to the running one");
        }
    }

    @Test
    void anUpdateOfAnImmediateProfileRollsItsClustersAtOnceAndOneOfItsDescriptionNothing() {
        fleetRunning();
        String cluster = fleet.get("immediate").get(0);
        SimulatedAppliance appliance = appliances.get(cluster);
        // only the description and tags: nothing to roll; then the Kubernetes layer replaced (one Kafka key: in order)
        ProfileSnapshot described = Fixtures.describedAnew(immediate);
        bus.updated(TENANT_A, described);
        bus.updated(TENANT_A, Fixtures.relinked(described, "1.27.14").profile());

        assertTrue(
                Eventually.holds(Duration.ofSeconds(60), Duration.ofMillis(200), () -> appliance.creates(cluster) == 2),
                "its node re-created at once");
        JsonPath c = Api.awaitStatus(TENANT_A, cluster, "RUNNING", Duration.ofSeconds(60));
        assertEquals(immediate.id(), c.getString("profile.id"));
        assertTrue(appliance.lastCreated.toString().contains("1.27.14"), () -> "new stack: " + appliance.lastCreated);
        List<String> changes = Api.taskLines(TENANT_A, cluster).stream()
                .filter(l -> l.contains(immediate.version() + " updated"))
                .toList();
        assertEquals(1, changes.size(), () -> "one change, none for the description: " + changes);
        assertTrue(changes.get(0).contains("kubernetes 1.27.13 → 1.27.14"), changes::toString);
        assertEquals(2, appliance.creates(cluster), "rolled once");
        assertEquals(0, rolloutsOf(immediate.id(), 0).size(), "an IMMEDIATE profile makes no rollout");
    }

    @Test
    void anUpdateOfARolloutProfileCreatesOneRolloutAndNoClusterRollsBeforeItsWave() {
        fleetRunning();
        List<String> ids = fleet.get("update");
        ids.forEach(c -> appliances.get(c).hold()); // the canary stays ROLLING until released
        try (TopicReader events = new TopicReader(Topics.CLUSTER_EVENTS)) {
            ProfileSnapshot described = Fixtures.describedAnew(updatable);
            bus.updated(TENANT_A, described);
            ProfileSnapshot updated = Fixtures.relinked(described, "1.27.14").profile();
            bus.updated(TENANT_A, updated);
            String id = rolloutsOf(updatable.id(), 1).get(0);
            JsonPath rolling = await(
                    id, "RUNNING", p -> "ROLLING".equals(p.getString("clusters[0].state")), Duration.ofSeconds(30));
            assertEquals("system", rolling.getString("createdBy"));
            assertTrue(rolling.getString("name").contains("updated: kubernetes 1.27.13 → 1.27.14"), rolling::prettify);
            assertEquals(ids, rolling.getList("clusters.clusterId"), "every RUNNING cluster of the profile");
            assertEquals(List.of(0, 1), rolling.getList("clusters.wave"));
            // the second wave waits for the canary: its cluster is untouched
            assertEquals("PENDING", rolling.getString("clusters[1].state"));
            assertEquals(updatable.id(), Api.cluster(TENANT_A, ids.get(1)).getString("profile.id"));
            assertEquals(1, appliances.get(ids.get(1)).creates(ids.get(1)), "not rolled at once");
            RolloutSnapshot started = events.await(
                            r -> id.equals(r.key())
                                    && EventTypes.ROLLOUT_STARTED.equals(
                                            r.event().type()),
                            1,
                            Duration.ofSeconds(20))
                    .get(0)
                    .event()
                    .dataAs(RolloutSnapshot.class);
            assertEquals("system", started.createdBy());

            ids.forEach(c -> appliances.get(c).release());
            JsonPath done = await(id, "COMPLETED", p -> true, Duration.ofSeconds(120));
            assertEquals(List.of("HEALTHY", "HEALTHY"), done.getList("clusters.state"), done::prettify);
            for (String cluster : ids) {
                assertEquals(2, appliances.get(cluster).creates(cluster), "rolled once, by the rollout");
                assertTrue(appliances.get(cluster).lastCreated.toString().contains("1.27.14"));
            }
            // the description-only update made no rollout of its own
            assertEquals(1, rolloutsOf(updatable.id(), 1).size());
        }
    }

    /** The rollouts of a profile, newest first, once there are {@code count}. */
    private static List<String> rolloutsOf(String profileId, int count) {
        JsonPath page = Eventually.value(
                Duration.ofSeconds(30),
                Duration.ofMillis(100),
                () -> viewer(TENANT_A)
                        .queryParam("size", 100)
                        .get("/v1/rollouts")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                p -> p.getList("items.findAll { it.profileId == '" + profileId + "' }.id")
                                .size()
                        >= count);
        return page.getList("items.findAll { it.profileId == '" + profileId + "' }.id");
    }

    private String create(String name, List<String> clusterIds, String strategy) {
        return admin(TENANT_A)
                .body("""
                        {"name": "%s", "profileId": "%s", "selector": {"clusterIds": %s}, "strategy": %s}
                        """.formatted(name, next, Api.json(clusterIds), strategy))
                .post("/v1/rollouts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static JsonPath rollout(String id) {
        return viewer(TENANT_A)
                .get("/v1/rollouts/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static JsonPath await(String id, String status, Predicate<JsonPath> also, Duration timeout) {
        JsonPath r = Eventually.value(
                timeout,
                Duration.ofMillis(200),
                () -> rollout(id),
                p -> status.equals(p.getString("status")) && also.test(p));
        assertEquals(status, r.getString("status"), r::prettify);
        assertTrue(also.test(r), r::prettify);
        return r;
    }
}
