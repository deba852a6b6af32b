package io.edgefleet.profile;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ProfileRelinked;
import io.edgefleet.profile.service.BuiltinCatalog;
import io.edgefleet.profile.service.CatalogChanges;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.edgefleet.profile.Api.create;
import static io.edgefleet.profile.Api.list;
import static io.edgefleet.profile.Api.pack;
import static io.edgefleet.profile.Api.profile;
import static io.edgefleet.profile.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A new build of the service whose built-in catalog has a new release (what happens at startup): the
 * release is published as a {@code _system} event and re-links the profiles of every tenant on its train;
 * a release dropped from the catalog is withdrawn; the same catalog again changes nothing.
 */
@QuarkusTest
@TestInfrastructure
class BuiltinCatalogTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    BuiltinCatalog builtin;

    @Test
    void aNewBuiltInReleaseReLinksEveryTenantsTrains() throws Throwable {
        String a = create(TENANT_A, profile("builtin-train", "ADDON", list(pack("falco", "4.2.x"))));
        String b = create(TENANT_B, profile("builtin-train", "ADDON", list(pack("falco", "4.x"))));
        String pinned = create(TENANT_B, profile("builtin-pinned", "ADDON", list(pack("falco", "4.2.5"))));
        String original = new String(BuiltinCatalog.read(), StandardCharsets.UTF_8);
        String nextBuild = original.replace("      - version: 4.2.5\n", """
                      - version: 4.2.6
                        defaults: |
                          charts:
                            falco:
                              driver:
                                kind: modern_ebpf
                        presets: []
                      - version: 4.2.5
                """);
        try (TopicReader reader = new TopicReader(Topics.PROFILE_EVENTS)) {
            CatalogChanges.Outcome outcome = builtin.apply(nextBuild.getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("falco@4.2.6"), outcome.added());
            assertEquals(
                    "4.2.6",
                    viewer(TENANT_A).get("/v1/profiles/" + a).then().extract().path("layers[0].resolvedVersion"));
            assertEquals(
                    "4.2.6",
                    viewer(TENANT_B).get("/v1/profiles/" + b).then().extract().path("layers[0].resolvedVersion"));
            assertEquals(
                    "4.2.5",
                    viewer(TENANT_B)
                            .get("/v1/profiles/" + pinned)
                            .then()
                            .extract()
                            .path("layers[0].resolvedVersion"));

            var relinked = Api.awaitDistinct(
                    reader,
                    r -> r.event().type().equals(EventTypes.PROFILE_RELINKED)
                            && Set.of(a, b).contains(r.event().subject()),
                    2,
                    Duration.ofSeconds(30));
            Map<String, String> tenants = relinked.stream()
                    .collect(Collectors.toMap(
                            r -> r.event().subject(), r -> r.event().tenant()));
            assertEquals(Map.of(a, TENANT_A, b, TENANT_B), tenants, "each re-link is an event of the profile's tenant");
            relinked.forEach(r -> assertEquals(
                    "4.2.5", r.event().dataAs(ProfileRelinked.class).oldVersion()));
            var published = Api.awaitDistinct(
                    reader, r -> r.event().subject().equals("builtin/falco/4.2.6"), 1, Duration.ofSeconds(30));
            assertEquals("_system", published.get(0).event().tenant());

            assertEquals(
                    List.of(),
                    builtin.apply(nextBuild.getBytes(StandardCharsets.UTF_8)).added(),
                    "the same catalog again");
        } finally {
            // the release leaves the catalog again: withdrawn, no longer offered, kept for layers linked to it
            CatalogChanges.Outcome back = builtin.apply(original.getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("falco@4.2.6"), back.withdrawn());
        }
        viewer(TENANT_A)
                .get("/v1/packs?registry=builtin&name=falco")
                .then()
                .body("items[0].latest", equalTo("4.2.5"))
                .body("items[0].versions.version", not(hasItem("4.2.6")));
        viewer(TENANT_A).get("/v1/packs/builtin/falco").then().body("versions[0].withdrawn", equalTo(true));
        viewer(TENANT_A).get("/v1/profiles/" + a + "/resolved").then().body("layers[0].version", equalTo("4.2.6"));
    }
}
