package io.edgefleet.profile;

import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.events.payload.RolloutMode;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.edgefleet.profile.Api.admin;
import static io.edgefleet.profile.Api.core;
import static io.edgefleet.profile.Api.create;
import static io.edgefleet.profile.Api.obj;
import static io.edgefleet.profile.Api.profile;
import static io.edgefleet.profile.Api.viewer;
import static io.edgefleet.profile.Api.with;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A profile's rollout strategy: IMMEDIATE by default, ROLLOUT with a checked default strategy, carried in events. */
@QuarkusTest
@TestInfrastructure
class ProfileRolloutApiTest {

    @Test
    void aProfileRollsImmediatelyUnlessItChoosesARollout() {
        String id = create(TENANT_A, profile("rollout-default", "FULL", core()));
        viewer(TENANT_A)
                .get("/v1/profiles/" + id)
                .then()
                .statusCode(200)
                .body("rollout.mode", equalTo("IMMEDIATE"))
                .body("rollout.canaries", nullValue());

        try (TopicReader reader = new TopicReader(Topics.PROFILE_EVENTS)) {
            var created = reader.await(r -> r.event().subject().equals(id), 1, Duration.ofSeconds(30));
            ProfileSnapshot snapshot = created.get(0).event().dataAs(ProfileSnapshot.class);
            assertEquals(RolloutMode.IMMEDIATE, snapshot.rollout().mode());
            assertFalse(ProfileRollout.rollsOut(snapshot.rollout()));
        }
    }

    @Test
    void aRolloutStrategyIsStoredWithItsDefaultsShownAndPublished() {
        String id = create(
                TENANT_A,
                with(
                        profile("rollout-waves", "FULL", core()),
                        "rollout",
                        obj("mode", "ROLLOUT", "waveSize", 5, "maxFailurePercent", 20, "bakeTime", "PT10M")));
        viewer(TENANT_A)
                .get("/v1/profiles/" + id)
                .then()
                .statusCode(200)
                .body("rollout.mode", equalTo("ROLLOUT"))
                .body("rollout.canaries", equalTo(1))
                .body("rollout.waveSize", equalTo(5))
                .body("rollout.wavePercent", nullValue())
                .body("rollout.maxConcurrency", equalTo(10))
                .body("rollout.maxFailures", nullValue())
                .body("rollout.maxFailurePercent", equalTo(20))
                .body("rollout.bakeTime", equalTo("PT10M"))
                .body("rollout.offlineMode", equalTo("WAIT"))
                .body("rollout.offlineTimeout", equalTo("PT1H"))
                .body("rollout.healthTimeout", equalTo("PT30M"));

        // a PUT without rollout keeps it; a new version copies it; a PUT with IMMEDIATE turns it off
        admin(TENANT_A)
                .body(obj("layers", core(), "description", "kept"))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(200)
                .body("rollout.mode", equalTo("ROLLOUT"))
                .body("rollout.waveSize", equalTo(5));
        String v2 = admin(TENANT_A)
                .body(obj("version", "1.1.0"))
                .post("/v1/profiles/" + id + "/versions")
                .then()
                .statusCode(201)
                .body("rollout.mode", equalTo("ROLLOUT"))
                .body("rollout.bakeTime", equalTo("PT10M"))
                .extract()
                .path("id");
        admin(TENANT_A)
                .body(obj("layers", core(), "rollout", obj("mode", "immediate")))
                .put("/v1/profiles/" + v2)
                .then()
                .statusCode(200)
                .body("rollout.mode", equalTo("IMMEDIATE"))
                .body("rollout.waveSize", nullValue());

        try (TopicReader reader = new TopicReader(Topics.PROFILE_EVENTS)) {
            var ofFirst = Api.awaitDistinct(reader, r -> r.event().subject().equals(id), 2, Duration.ofSeconds(30));
            assertEquals(
                    List.of(EventTypes.PROFILE_CREATED, EventTypes.PROFILE_UPDATED),
                    ofFirst.stream().map(r -> r.event().type()).toList());
            for (var received : ofFirst) {
                ProfileRollout rollout =
                        received.event().dataAs(ProfileSnapshot.class).rollout();
                assertTrue(ProfileRollout.rollsOut(rollout));
                assertEquals(
                        new ProfileRollout(
                                RolloutMode.ROLLOUT, 1, 5, null, 10, null, 20, "PT10M", "WAIT", "PT1H", "PT30M"),
                        rollout);
            }
            var ofSecond = Api.awaitDistinct(reader, r -> r.event().subject().equals(v2), 2, Duration.ofSeconds(30));
            assertEquals(
                    RolloutMode.IMMEDIATE,
                    ofSecond.get(1)
                            .event()
                            .dataAs(ProfileSnapshot.class)
                            .rollout()
                            .mode());
        }
    }

    @Test
    void aBadStrategyIsRefusedNamingEveryFieldAndChangesNothing() {
        admin(TENANT_A)
                .body(with(
                        profile("rollout-bad", "FULL", core()),
                        "rollout",
                        obj(
                                "mode",
                                "ROLLOUT",
                                "canaries",
                                101,
                                "waveSize",
                                0,
                                "wavePercent",
                                10,
                                "maxConcurrency",
                                0,
                                "maxFailures",
                                1,
                                "maxFailurePercent",
                                5,
                                "bakeTime",
                                "ten minutes",
                                "offlineMode",
                                "RETRY",
                                "offlineTimeout",
                                "PT0S",
                                "healthTimeout",
                                "P30D")))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "errors.field",
                        containsInAnyOrder(
                                "rollout.canaries",
                                "rollout.wavePercent",
                                "rollout.waveSize",
                                "rollout.maxConcurrency",
                                "rollout.maxFailurePercent",
                                "rollout.bakeTime",
                                "rollout.offlineMode",
                                "rollout.offlineTimeout",
                                "rollout.healthTimeout"));
        admin(TENANT_A)
                .body(with(profile("rollout-bad", "FULL", core()), "rollout", obj("mode", "LATER")))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("rollout.mode"));
        viewer(TENANT_A)
                .queryParam("name", "rollout-bad")
                .get("/v1/profiles")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));

        String id = create(TENANT_A, profile("rollout-kept", "FULL", core()));
        admin(TENANT_A)
                .body(obj("layers", core(), "rollout", obj("mode", "IMMEDIATE", "canaries", 2)))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("rollout"));
        admin(TENANT_A)
                .body(obj(
                        "layers", core(), "description", "changed", "rollout", obj("mode", "ROLLOUT", "waveSize", -1)))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("rollout.waveSize"));
        viewer(TENANT_A)
                .get("/v1/profiles/" + id)
                .then()
                .statusCode(200)
                .body("description", nullValue())
                .body("rollout.mode", equalTo("IMMEDIATE"));
        // viewers do not write, other tenants do not see it
        viewer(TENANT_A)
                .body(obj("layers", core(), "rollout", obj("mode", "ROLLOUT")))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(403);
        admin(TENANT_B)
                .body(obj("layers", core(), "rollout", obj("mode", "ROLLOUT")))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(404);
    }

    @Test
    void aScanInTheHealthGateIsCheckedStoredWithItsDefaultsAndPublished() {
        String policy = java.util.UUID.randomUUID().toString();
        String id = create(
                TENANT_A,
                with(
                        profile("rollout-scan", "FULL", core()),
                        "rollout",
                        obj("mode", "ROLLOUT", "scan", obj("policyId", policy, "failOn", "WARNED"))));
        viewer(TENANT_A)
                .get("/v1/profiles/" + id)
                .then()
                .statusCode(200)
                .body("rollout.scan.policyId", equalTo(policy))
                .body("rollout.scan.failOn", equalTo("WARNED"))
                .body("rollout.scan.timeout", equalTo("PT30M"));
        try (TopicReader reader = new TopicReader(Topics.PROFILE_EVENTS)) {
            var created = reader.await(r -> r.event().subject().equals(id), 1, Duration.ofSeconds(30));
            ProfileRollout rollout =
                    created.get(0).event().dataAs(ProfileSnapshot.class).rollout();
            assertEquals(new io.edgefleet.events.payload.ScanGate(policy, "WARNED", "PT30M"), rollout.scan());
        }

        // every bad field at once, the scan's with the others'; nothing created
        admin(TENANT_A)
                .body(with(
                        profile("rollout-scan-bad", "FULL", core()),
                        "rollout",
                        obj(
                                "mode",
                                "ROLLOUT",
                                "canaries",
                                -1,
                                "scan",
                                obj("policyId", "not-a-policy", "failOn", "NEVER", "timeout", "soon"))))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "errors.field",
                        containsInAnyOrder(
                                "rollout.canaries",
                                "rollout.scan.policyId",
                                "rollout.scan.failOn",
                                "rollout.scan.timeout"));
        admin(TENANT_A)
                .body(with(
                        profile("rollout-scan-bad", "FULL", core()),
                        "rollout",
                        obj("mode", "ROLLOUT", "scan", obj("timeout", "PT0S"))))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("rollout.scan.policyId", "rollout.scan.timeout"));
        // IMMEDIATE takes no scan either
        admin(TENANT_A)
                .body(obj("layers", core(), "rollout", obj("mode", "IMMEDIATE", "scan", obj("policyId", policy))))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("rollout"));
        viewer(TENANT_A)
                .queryParam("name", "rollout-scan-bad")
                .get("/v1/profiles")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
        viewer(TENANT_A)
                .get("/v1/profiles/" + id)
                .then()
                .statusCode(200)
                .body("rollout.scan.failOn", equalTo("WARNED"));
    }

    @Test
    void aSnapshotWithoutARolloutFromAnOlderProducerMeansImmediate() {
        String older = """
                {"id":"8d1f0a6e-4f7c-4a8e-9a36-1f3f0d1f2a11","name":"old","version":"1.0.0","tags":{},"type":"ADDON",
                 "layers":[],"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","revision":3}
                """;
        ProfileSnapshot snapshot = EventJson.read(older.getBytes(StandardCharsets.UTF_8), ProfileSnapshot.class);
        assertNull(snapshot.rollout());
        assertFalse(ProfileRollout.rollsOut(snapshot.rollout()));
    }
}
