package io.edgefleet.profile;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.edgefleet.profile.Api.admin;
import static io.edgefleet.profile.Api.core;
import static io.edgefleet.profile.Api.create;
import static io.edgefleet.profile.Api.list;
import static io.edgefleet.profile.Api.obj;
import static io.edgefleet.profile.Api.pack;
import static io.edgefleet.profile.Api.profile;
import static io.edgefleet.profile.Api.with;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every profile change is an event on profile-events (through the outbox), read back by an independent consumer. */
@QuarkusTest
@TestInfrastructure
class ProfileEventsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theProfileLifecycleIsPublishedWithSnapshots() {
        String id = create(TENANT_A, with(profile("evented", "FULL", core()), "tags", obj("site", "clinic")));
        var layers = core();
        layers.add(pack("metallb", "0.14.x"));
        admin(TENANT_A)
                .body(obj("layers", layers, "tags", obj("site", "clinic-2")))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(200);
        String v2 = admin(TENANT_A)
                .body(obj("version", "1.1.0"))
                .post("/v1/profiles/" + id + "/versions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String copy = admin(TENANT_A)
                .body(obj("name", "evented-copy"))
                .post("/v1/profiles/" + id + "/clone")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        admin(TENANT_A).delete("/v1/profiles/" + id).then().statusCode(204);

        try (TopicReader reader = new TopicReader(Topics.PROFILE_EVENTS)) {
            var ofFirst = reader.await(r -> r.event().subject().equals(id), 3, Duration.ofSeconds(30));
            ofFirst = Api.distinct(reader.settle(r -> r.event().subject().equals(id), Duration.ofSeconds(1)));
            assertEquals(
                    List.of(EventTypes.PROFILE_CREATED, EventTypes.PROFILE_UPDATED, EventTypes.PROFILE_DELETED),
                    ofFirst.stream().map(r -> r.event().type()).toList(),
                    "in order, keyed by the profile id");
            ofFirst.forEach(r -> {
                assertEquals(id, r.key());
                assertEquals(TENANT_A, r.event().tenant());
                assertEquals("/edgefleet/profile-service", r.event().source());
            });
            ProfileSnapshot created = ofFirst.get(0).event().dataAs(ProfileSnapshot.class);
            assertEquals("evented", created.name());
            assertEquals("1.0.0", created.version());
            assertEquals("clinic", created.tags().get("site"));
            assertEquals("edge", created.environment());
            assertEquals("containerized", created.cloudType().value());
            assertEquals(
                    List.of("22.04.5", "1.29.8", "3.27.3", "1.6.2"),
                    created.layers().stream().map(l -> l.resolvedVersion()).toList());
            assertTrue(created.layers().get(1).mergedValues().contains("podCIDR"), "snapshots carry the merged values");
            ProfileSnapshot updated = ofFirst.get(1).event().dataAs(ProfileSnapshot.class);
            assertEquals(5, updated.layers().size());
            assertTrue(updated.revision() > created.revision());
            assertEquals(
                    "clinic-2",
                    ofFirst.get(2).event().dataAs(ProfileSnapshot.class).tags().get("site"),
                    "deleted carries the last state");

            var others = Api.awaitDistinct(
                    reader, r -> Set.of(v2, copy).contains(r.event().subject()), 2, Duration.ofSeconds(30));
            assertEquals(
                    Set.of(EventTypes.PROFILE_VERSION_CREATED + " " + v2, EventTypes.PROFILE_CREATED + " " + copy),
                    Set.copyOf(others.stream()
                            .map(r -> r.event().type() + " " + r.event().subject())
                            .toList()));
            assertEquals(
                    "1.1.0",
                    others.stream()
                            .filter(r -> r.event().subject().equals(v2))
                            .findFirst()
                            .orElseThrow()
                            .event()
                            .dataAs(ProfileSnapshot.class)
                            .version());
        }
    }

    @Test
    void aRejectedChangePublishesNothing() {
        String id = create(TENANT_A, profile("evented-rejected", "ADDON", list(pack("falco", "4.x"))));
        admin(TENANT_A)
                .body(profile("evented-rejected", "ADDON", list(pack("falco", "4.x"))))
                .post("/v1/profiles")
                .then()
                .statusCode(409);
        admin(TENANT_A)
                .body(obj("layers", list(pack("falco", "99.x"))))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(400);
        admin(TENANT_A)
                .body(obj("version", "1.0.0"))
                .post("/v1/profiles/" + id + "/versions")
                .then()
                .statusCode(409);
        try (TopicReader reader = new TopicReader(Topics.PROFILE_EVENTS)) {
            reader.await(r -> r.event().subject().equals(id), 1, Duration.ofSeconds(30));
            var events = Api.distinct(reader.settle(
                    r -> r.event().subject().equals(id)
                            || r.event().type().startsWith("edgefleet.profile.")
                                    && r.event().data().length > 0
                                    && new String(r.event().data()).contains("\"name\":\"evented-rejected\""),
                    Duration.ofSeconds(2)));
            assertEquals(
                    List.of(EventTypes.PROFILE_CREATED),
                    events.stream().map(r -> r.event().type()).toList());
        }
    }
}
