package io.edgefleet.profile;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.PackVersionPublished;
import io.edgefleet.events.payload.ProfileRelinked;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.edgefleet.profile.Api.admin;
import static io.edgefleet.profile.Api.core;
import static io.edgefleet.profile.Api.create;
import static io.edgefleet.profile.Api.list;
import static io.edgefleet.profile.Api.obj;
import static io.edgefleet.profile.Api.profile;
import static io.edgefleet.profile.Api.viewer;
import static io.edgefleet.profile.Api.with;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Version trains: a layer on {@code 1.x} or {@code 1.1.x} links the newest release on its train, and is
 * re-linked (with an event naming profile, layer, old and new version) when a newer one is published;
 * {@code 1.1.x} never jumps to 1.2.0, pre-releases never count, pinned layers never move.
 */
@QuarkusTest
@TestInfrastructure
class TrainRelinkTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private TopicReader events;

    @BeforeEach
    void connect() {
        events = new TopicReader(Topics.PROFILE_EVENTS);
    }

    @AfterEach
    void disconnect() {
        events.close();
    }

    static String localRegistry(String tenant, String name) {
        return admin(tenant)
                .body(obj("name", name, "kind", "LOCAL"))
                .post("/v1/registries")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    static void publish(String tenant, String registry, String pack, String version, String defaults, Object presets) {
        admin(tenant)
                .body(obj(
                        "name",
                        pack,
                        "layer",
                        "ADDON",
                        "addonType",
                        "monitoring",
                        "version",
                        version,
                        "defaults",
                        defaults,
                        "presets",
                        presets))
                .post("/v1/registries/" + registry + "/packs")
                .then()
                .statusCode(201)
                .body("version", equalTo(version));
    }

    static void publish(String tenant, String registry, String pack, String version) {
        publish(
                tenant,
                registry,
                pack,
                version,
                "agent:\n  release: \"" + version + "\"\n  logLevel: info\n",
                list(obj("name", "debug", "label", "Debug logging", "values", "agent:\n  logLevel: debug\n")));
    }

    static Map<String, Object> layer(String registry, String pack, String version) {
        return obj("registry", registry, "name", pack, "version", version);
    }

    static String resolved(String tenant, String profileId) {
        return viewer(tenant)
                .get("/v1/profiles/" + profileId)
                .then()
                .statusCode(200)
                .extract()
                .path("layers[0].resolvedVersion");
    }

    private List<ProfileRelinked> relinks(Predicate<ProfileRelinked> filter, int expected) {
        Predicate<TopicReader.Received> match = r -> r.event().type().equals(EventTypes.PROFILE_RELINKED)
                && filter.test(r.event().dataAs(ProfileRelinked.class));
        events.await(match, expected, Duration.ofSeconds(30));
        return Api.distinct(events.settle(match, Duration.ofMillis(1500))).stream()
                .map(r -> r.event().dataAs(ProfileRelinked.class))
                .toList();
    }

    @Test
    void trainsFollowNewReleasesAndMinorTrainsNeverJump() {
        String registry = localRegistry(TENANT_A, "trains");
        for (String v : List.of("1.0.0", "1.1.0", "1.1.1")) {
            publish(TENANT_A, registry, "edge-agent", v);
        }
        String minor = create(TENANT_A, profile("train-minor", "ADDON", list(layer(registry, "edge-agent", "1.1.x"))));
        String minorV2 = admin(TENANT_A)
                .body(obj("version", "1.0.1"))
                .post("/v1/profiles/" + minor + "/versions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String major = create(
                TENANT_A,
                profile(
                        "train-major",
                        "ADDON",
                        list(with(layer(registry, "edge-agent", "1.x"), "presets", list("debug")))));
        String pinned =
                create(TENANT_A, profile("train-pinned", "ADDON", list(layer(registry, "edge-agent", "1.1.1"))));
        assertEquals("1.1.1", resolved(TENANT_A, minor));
        assertEquals("1.1.1", resolved(TENANT_A, major));

        // 1.1.2: both trains move, on every profile version; the pinned layer stays
        publish(TENANT_A, registry, "edge-agent", "1.1.2");
        assertEquals("1.1.2", resolved(TENANT_A, minor));
        assertEquals("1.1.2", resolved(TENANT_A, minorV2));
        assertEquals("1.1.2", resolved(TENANT_A, major));
        assertEquals("1.1.1", resolved(TENANT_A, pinned));
        List<ProfileRelinked> first =
                relinks(e -> e.packName().equals("edge-agent") && e.newVersion().equals("1.1.2"), 3);
        assertEquals(
                Set.of(minor, minorV2, major),
                first.stream().map(ProfileRelinked::profileId).collect(Collectors.toSet()));
        ProfileRelinked majorEvent = first.stream()
                .filter(e -> e.profileId().equals(major))
                .findFirst()
                .orElseThrow();
        assertEquals("train-major", majorEvent.profileName());
        assertEquals("1.0.0", majorEvent.profileVersion());
        assertEquals(0, majorEvent.layerIndex());
        assertEquals("ADDON", majorEvent.layer().name());
        assertEquals(registry, majorEvent.registryId());
        assertEquals("1.x", majorEvent.train());
        assertEquals("1.1.1", majorEvent.oldVersion());
        assertEquals(
                "1.1.2",
                majorEvent.profile().layers().get(0).resolvedVersion(),
                "the event carries the profile after the re-link");
        // the merged values follow the new release (its defaults, then the preset)
        viewer(TENANT_A)
                .get("/v1/profiles/" + major + "/resolved")
                .then()
                .body("layers[0].values", containsString("release: 1.1.2"))
                .body("layers[0].values", containsString("logLevel: debug"));

        // 1.2.0: the major train moves; 1.1.x never jumps to 1.2.0
        publish(TENANT_A, registry, "edge-agent", "1.2.0");
        assertEquals("1.2.0", resolved(TENANT_A, major));
        assertEquals("1.1.2", resolved(TENANT_A, minor));
        List<ProfileRelinked> second =
                relinks(e -> e.packName().equals("edge-agent") && e.newVersion().equals("1.2.0"), 1);
        assertEquals(
                List.of(major), second.stream().map(ProfileRelinked::profileId).toList());
        assertEquals("1.1.2", second.get(0).oldVersion());

        // pre-releases and another major never satisfy 1.x / 1.1.x
        publish(TENANT_A, registry, "edge-agent", "1.3.0-rc.1");
        publish(TENANT_A, registry, "edge-agent", "1.1.3-beta.1");
        publish(TENANT_A, registry, "edge-agent", "2.0.0");
        assertEquals("1.2.0", resolved(TENANT_A, major));
        assertEquals("1.1.2", resolved(TENANT_A, minor));
        assertEquals(
                List.of(),
                relinks(
                        e -> e.packName().equals("edge-agent")
                                && !Set.of("1.1.2", "1.2.0").contains(e.newVersion()),
                        0));

        // every published version is an event of the registry's tenant
        var published = Api.awaitDistinct(
                events,
                r -> r.event().type().equals(EventTypes.PACK_VERSION_PUBLISHED)
                        && r.event().subject().startsWith(registry + "/edge-agent/"),
                8,
                Duration.ofSeconds(30));
        assertEquals(8, published.size());
        PackVersionPublished rc = published.stream()
                .map(r -> r.event().dataAs(PackVersionPublished.class))
                .filter(p -> p.version().equals("1.3.0-rc.1"))
                .findFirst()
                .orElseThrow();
        assertEquals(true, rc.prerelease());
        assertEquals("LOCAL", rc.registryKind().name());
        published.forEach(r -> assertEquals(TENANT_A, r.event().tenant()));
        published.forEach(r -> assertEquals(registry + "/edge-agent", r.key()));
    }

    @Test
    void aLayerWhosePresetOrValuesDoNotFitTheNewReleaseStaysAndSaysWhy() {
        String registry = localRegistry(TENANT_A, "held");
        publish(TENANT_A, registry, "held-agent", "2.0.0");
        String withPreset = create(
                TENANT_A,
                profile(
                        "held-preset",
                        "ADDON",
                        list(with(layer(registry, "held-agent", "2.x"), "presets", list("debug")))));
        String plain = create(TENANT_A, profile("held-plain", "ADDON", list(layer(registry, "held-agent", "2.x"))));

        publish(
                TENANT_A,
                registry,
                "held-agent",
                "2.1.0",
                "agent:\n  logLevel: info\n",
                list()); // no 'debug' preset any more
        assertEquals("2.1.0", resolved(TENANT_A, plain));
        viewer(TENANT_A)
                .get("/v1/profiles/" + withPreset)
                .then()
                .body("layers[0].resolvedVersion", equalTo("2.0.0"))
                .body("layers[0].note", containsString("release 2.1.0 on train 2.x is not linked"))
                .body("layers[0].note", containsString("'debug' is not a preset of held-agent 2.1.0"));

        publish(TENANT_A, registry, "held-agent", "2.2.0"); // the preset is back: the held layer catches up
        assertEquals("2.2.0", resolved(TENANT_A, withPreset));
        viewer(TENANT_A).get("/v1/profiles/" + withPreset).then().body("layers[0].note", nullValue());
    }

    @Test
    void aKubernetesLayerIsNotRelinkedIntoOverlappingCidrs() {
        String registry = localRegistry(TENANT_A, "k8s-builds");
        String v1 = "pack:\n  podCIDR: 192.168.0.0/16\n  serviceCIDR: 172.20.0.0/16\n";
        admin(TENANT_A)
                .body(obj("name", "edge-k8s", "layer", "KUBERNETES", "version", "1.30.1", "defaults", v1))
                .post("/v1/registries/" + registry + "/packs")
                .then()
                .statusCode(201);
        var layers = core();
        layers.set(1, with(layer(registry, "edge-k8s", "1.30.x"), "values", "pack:\n  podCIDR: 10.0.0.0/8\n"));
        String id = create(TENANT_A, profile("k8s-cidrs", "FULL", layers));
        // the new release moves the service network into 10.0.0.0/8, which this profile uses for pods
        admin(TENANT_A)
                .body(obj(
                        "name",
                        "edge-k8s",
                        "layer",
                        "KUBERNETES",
                        "version",
                        "1.30.2",
                        "defaults",
                        "pack:\n  podCIDR: 192.168.0.0/16\n  serviceCIDR: 10.96.0.0/12\n"))
                .post("/v1/registries/" + registry + "/packs")
                .then()
                .statusCode(201);
        viewer(TENANT_A)
                .get("/v1/profiles/" + id)
                .then()
                .body("layers[1].resolvedVersion", equalTo("1.30.1"))
                .body("layers[1].note", containsString("layers[1].values.pack.serviceCIDR"));
        // a pack version whose own defaults overlap is refused when published
        admin(TENANT_A)
                .body(obj(
                        "name",
                        "edge-k8s",
                        "layer",
                        "KUBERNETES",
                        "version",
                        "1.30.3",
                        "defaults",
                        "pack:\n  podCIDR: 10.0.0.0/8\n  serviceCIDR: 10.96.0.0/12\n"))
                .post("/v1/registries/" + registry + "/packs")
                .then()
                .statusCode(400)
                .body("field", equalTo("defaults.pack.serviceCIDR"));
    }

    @Test
    void reLinksStayInsideTheRegistrysTenant() {
        String registryA = localRegistry(TENANT_A, "tenant-trains");
        publish(TENANT_A, registryA, "shared-name", "1.0.0");
        String a = create(TENANT_A, profile("tenant-train", "ADDON", list(layer(registryA, "shared-name", "1.x"))));
        // tenant B cannot use A's registry, and its own pack of the same name is another pack
        admin(TENANT_B)
                .body(profile("tenant-train", "ADDON", list(layer(registryA, "shared-name", "1.x"))))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("layers[0].registry"));
        String registryB = localRegistry(TENANT_B, "tenant-trains");
        publish(TENANT_B, registryB, "shared-name", "1.0.0");
        String b = create(TENANT_B, profile("tenant-train", "ADDON", list(layer(registryB, "shared-name", "1.x"))));

        publish(TENANT_B, registryB, "shared-name", "1.5.0");
        assertEquals("1.5.0", resolved(TENANT_B, b));
        assertEquals("1.0.0", resolved(TENANT_A, a));
        List<ProfileRelinked> relinked = relinks(e -> e.packName().equals("shared-name"), 1);
        assertEquals(
                List.of(b), relinked.stream().map(ProfileRelinked::profileId).toList());
        events.settle(r -> true, Duration.ZERO).stream()
                .filter(r -> r.event().type().equals(EventTypes.PROFILE_RELINKED)
                        && r.event().subject().equals(b))
                .forEach(r -> assertEquals(TENANT_B, r.event().tenant()));
    }
}
