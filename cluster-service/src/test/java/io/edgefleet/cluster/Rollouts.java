package io.edgefleet.cluster;

import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.testsupport.Eventually;
import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.viewer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rollouts through the REST API for the fleet tests and the rollout benchmark (tenant-scoped, as a user does). */
public final class Rollouts {

    private Rollouts() {}

    /** A cluster of one master on its own simulated appliance (paired READY), as the fleet tests roll them. */
    record OneMaster(String id, SimulatedAppliance appliance, ApplianceSnapshot ready) {}

    /**
     * Starts a gateway for appliance {@code uid} with its own simulated appliance, tells cluster-service it is READY,
     * creates cluster {@code uid} of one master on it from {@code profileId} and has the gateways follow it.
     */
    static OneMaster oneMasterOnItsOwnAppliance(
            Gateways gateways, Bus bus, String tenant, String uid, String profileId) {
        SimulatedAppliance driver = new SimulatedAppliance();
        ApplianceSnapshot ready =
                Fixtures.ready(gateways.start(tenant, uid, false, Gateways.newStateDir(uid), driver), 1);
        bus.appliance(tenant, ready);
        String id = createOneMaster(tenant, uid, profileId, uid);
        gateways.track(id);
        return new OneMaster(id, driver, ready);
    }

    /** Creates cluster {@code name} of one master (1 CPU, 1 GB, expand-first) on appliance {@code uid}; its id. */
    public static String createOneMaster(String tenant, String name, String profileId, String uid) {
        return admin(tenant)
                .body("""
                        {"name": "%s", "profileId": "%s",
                         "pools": [{"name": "masters", "master": true, "size": 1, "cpu": 1, "memoryGb": 1,
                                    "rollingStrategy": "EXPAND_FIRST", "appliances": [{"uid": "%s"}]}]}
                        """.formatted(name, profileId, uid))
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** Starts a rollout of {@code profileId} over the clusters (in this order) with the strategy's JSON; its id. */
    public static String create(
            String tenant, String name, String profileId, List<String> clusterIds, String strategy) {
        return admin(tenant)
                .body("""
                        {"name": "%s", "profileId": "%s", "selector": {"clusterIds": %s}, "strategy": %s}
                        """.formatted(name, profileId, Api.json(clusterIds), strategy))
                .post("/v1/rollouts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    public static JsonPath get(String tenant, String id) {
        return viewer(tenant)
                .get("/v1/rollouts/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The rollout once it has {@code status} and {@code also} holds, polled every {@code every}. */
    public static JsonPath await(
            String tenant, String id, String status, Predicate<JsonPath> also, Duration timeout, Duration every) {
        JsonPath r = Eventually.value(
                timeout, every, () -> get(tenant, id), p -> status.equals(p.getString("status")) && also.test(p));
        assertEquals(status, r.getString("status"), r::prettify);
        assertTrue(also.test(r), r::prettify);
        return r;
    }

    public static JsonPath await(String tenant, String id, String status, Predicate<JsonPath> also, Duration timeout) {
        return await(tenant, id, status, also, timeout, Duration.ofMillis(200));
    }

    /** How many of the rollout's clusters are in {@code state}. */
    public static long count(JsonPath rollout, String state) {
        return rollout.getList("clusters.state").stream().filter(state::equals).count();
    }

    /** Each cluster's [startedAt, finishedAt], in the rollout's order (every cluster must have both). */
    public static List<Instant[]> spans(JsonPath rollout) {
        int n = rollout.getList("clusters").size();
        List<Instant[]> spans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            spans.add(new Instant[] {
                Instant.parse(rollout.getString("clusters[" + i + "].startedAt")),
                Instant.parse(rollout.getString("clusters[" + i + "].finishedAt"))
            });
        }
        return spans;
    }

    /**
     * The most clusters rolling at once, from the start and finish times (a finish and a start in one pass share
     * their instant: the finished one no longer counts).
     */
    public static long mostRollingAtOnce(List<Instant[]> spans) {
        long most = 0;
        for (Instant[] s : spans) {
            long rolling = spans.stream()
                    .filter(o -> !o[0].isAfter(s[0]) && o[1].isAfter(s[0]))
                    .count();
            most = Math.max(most, rolling);
        }
        return most;
    }

    /** Asserts that no cluster of a wave started before every cluster of an earlier wave had finished. */
    public static void assertWavesInOrder(JsonPath rollout) {
        List<Instant[]> spans = spans(rollout);
        List<Integer> waves = rollout.getList("clusters.wave");
        for (int i = 0; i < spans.size(); i++) {
            for (int j = 0; j < spans.size(); j++) {
                if (waves.get(j) < waves.get(i)) {
                    assertTrue(!spans.get(i)[0].isBefore(spans.get(j)[1]), rollout::prettify);
                }
            }
        }
    }
}
