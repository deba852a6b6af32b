package io.edgefleet.profile;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.PackVersionPublished;
import io.edgefleet.profile.catalog.PackIndexParser;
import io.edgefleet.profile.service.BuiltinCatalog;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.edgefleet.profile.Api.PROBLEM;
import static io.edgefleet.profile.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in catalog through /v1/packs: search by layer, name and version range; versions with defaults and presets. */
@QuarkusTest
@TestInfrastructure
class CatalogApiTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void searchesByLayerNameAndVersionRange() {
        viewer(TENANT_B)
                .get("/v1/packs?registry=builtin&layer=NETWORK")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.name", equalTo(List.of("calico", "cilium")))
                .body("items.layer", everyItem(equalTo("NETWORK")))
                .body("items.registryName", everyItem(equalTo("edgefleet")));
        viewer(TENANT_B)
                .get("/v1/packs?registry=builtin&layer=addon")
                .then()
                .body("items.name", hasItems("prometheus-operator", "falco", "metallb"))
                .body("items.find { it.name == 'metallb' }.addonType", equalTo("load-balancer"));
        viewer(TENANT_B)
                .get("/v1/packs?registry=builtin&name=kube")
                .then()
                .body("items.name", equalTo(List.of("kubernetes")))
                .body("items[0].latest", equalTo("1.30.4"))
                .body("items[0].versions.version", not(hasItem("1.31.0-rc.1")));
        viewer(TENANT_B)
                .get("/v1/packs?registry=builtin&name=kubernetes&version=>=1.28.0 <1.30")
                .then()
                .body("items[0].versions.version", equalTo(List.of("1.29.8", "1.29.4", "1.28.13", "1.28.9")));
        viewer(TENANT_B)
                .get("/v1/packs?registry=builtin&name=kubernetes&version=1.27.x")
                .then()
                .body("items[0].versions.version", equalTo(List.of("1.27.16", "1.27.13")));
        viewer(TENANT_B)
                .get("/v1/packs?registry=builtin&name=kubernetes&prereleases=true")
                .then()
                .body("items[0].versions.version", hasItem("1.31.0-rc.1"))
                .body("items[0].versions.find { it.version == '1.31.0-rc.1' }.prerelease", equalTo(true))
                .body("items[0].latest", equalTo("1.30.4"));
        viewer(TENANT_B).get("/v1/packs?registry=builtin&version=9.x").then().body("total", equalTo(0));
        viewer(TENANT_B)
                .get("/v1/packs?registry=builtin&size=3&page=1")
                .then()
                .body("items", hasSize(3))
                .body("total", equalTo(10));
    }

    @Test
    void aVersionCarriesItsDefaultsAndPresets() {
        viewer(TENANT_B)
                .get("/v1/packs/builtin/ubuntu")
                .then()
                .statusCode(200)
                .body("layer", equalTo("OS"))
                .body("versions.version", equalTo(List.of("22.04.5", "22.04.4", "22.04.3", "20.04.6", "20.04.5")));
        viewer(TENANT_B)
                .get("/v1/packs/builtin/ubuntu/versions/22.04.4")
                .then()
                .statusCode(200)
                .body("defaults", containsString("preKubeadmCommands"))
                .body("defaults", containsString("postKubeadmCommands"))
                .body("presets.name", equalTo(List.of("custom-ca", "cis-level1", "cis-level2")))
                .body("presets.find { it.name == 'custom-ca' }.values", containsString("targetPermissions: \"0644\""))
                .body("presets.find { it.name == 'cis-level1' }.group", equalTo("hardening"));
        viewer(TENANT_B)
                .get("/v1/packs/builtin/kubernetes/versions/1.28.x")
                .then()
                .statusCode(200)
                .body("version", equalTo("1.28.13"))
                .body("defaults", containsString("podCIDR: \"192.168.0.0/16\""))
                .body("defaults", containsString("serviceCIDR: \"10.96.0.0/12\""));
        viewer(TENANT_B)
                .get("/v1/packs/builtin/cilium/versions/1.16.0")
                .then()
                .body("presets.name", hasItems("hubble", "wireguard"));
    }

    @Test
    void badSearchesAre400AndUnknownPacks404() {
        viewer(TENANT_B)
                .get("/v1/packs?layer=FIRMWARE")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("layer"));
        viewer(TENANT_B).get("/v1/packs?version=>>1").then().statusCode(400).body("field", equalTo("version"));
        viewer(TENANT_B).get("/v1/packs?name=Bad Name").then().statusCode(400).body("field", equalTo("name"));
        viewer(TENANT_B).get("/v1/packs?registry=nope").then().statusCode(400).body("field", equalTo("registry"));
        viewer(TENANT_B)
                .get("/v1/packs?prereleases=maybe")
                .then()
                .statusCode(400)
                .body("field", equalTo("prereleases"));
        viewer(TENANT_B).get("/v1/packs?size=500").then().statusCode(400).body("field", equalTo("size"));
        viewer(TENANT_B).get("/v1/packs/builtin/nothing").then().statusCode(404).contentType(PROBLEM);
        viewer(TENANT_B).get("/v1/packs/builtin/calico/versions/9.9.9").then().statusCode(404);
        viewer(TENANT_B)
                .get("/v1/packs/builtin/calico/versions/latest")
                .then()
                .statusCode(400)
                .body("field", equalTo("version"));
        viewer(TENANT_B).get("/v1/packs/builtin/Calico").then().statusCode(400).body("field", equalTo("name"));
    }

    @Test
    void everyBadSearchParameterIsListedInOneAnswer() {
        viewer(TENANT_B)
                .get(
                        "/v1/packs?layer=FIRMWARE&name=Bad Name&registry=nope&version=>>1&prereleases=maybe&page=-1&size=500")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("layer"))
                .body("errors.field", contains("layer", "name", "registry", "version", "prereleases", "page", "size"));
        viewer(TENANT_B)
                .get("/v1/packs?name=" + "a".repeat(64))
                .then()
                .statusCode(400)
                .body("field", equalTo("name"));
        viewer(TENANT_B)
                .get("/v1/packs/nope/Calico/versions/latest")
                .then()
                .statusCode(400)
                .body("errors.field", contains("registry", "name", "version"));
        viewer(TENANT_B)
                .get("/v1/packs/nope/Calico")
                .then()
                .statusCode(400)
                .body("errors.field", contains("registry", "name"));
        viewer(TENANT_B)
                .get("/v1/packs/builtin/calico/versions/99999999999999999999.x")
                .then()
                .statusCode(400)
                .body("field", equalTo("version"));
    }

    @Test
    void theBuiltInCatalogWasPublishedForEveryTenant() throws Exception {
        Set<String> shipped = PackIndexParser.parse(BuiltinCatalog.read()).packs().stream()
                .flatMap(p -> p.releases().stream().map(r -> "builtin/" + p.name() + "/" + r.version()))
                .collect(Collectors.toSet());
        assertEquals(41, shipped.size());
        try (TopicReader reader = new TopicReader(Topics.PROFILE_EVENTS)) {
            var published = Api.awaitDistinct(
                    reader,
                    r -> r.event().type().equals(EventTypes.PACK_VERSION_PUBLISHED)
                            && shipped.contains(r.event().subject()),
                    shipped.size(),
                    Duration.ofSeconds(30));
            assertEquals(
                    shipped,
                    published.stream().map(r -> r.event().subject()).collect(Collectors.toSet()),
                    "each version once");
            published.forEach(r -> assertEquals("_system", r.event().tenant()));
            PackVersionPublished k8s = published.stream()
                    .map(r -> r.event().dataAs(PackVersionPublished.class))
                    .filter(p ->
                            p.packName().equals("kubernetes") && p.version().equals("1.30.4"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("KUBERNETES", k8s.layer().name());
            assertEquals("BUILTIN", k8s.registryKind().name());
            assertTrue(
                    published.stream()
                            .allMatch(r -> r.key()
                                    .equals(r.event()
                                            .subject()
                                            .substring(0, r.event().subject().lastIndexOf('/')))),
                    "keyed by registry/pack");
        }
    }
}
