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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.edgefleet.profile.Api.PROBLEM;
import static io.edgefleet.profile.Api.admin;
import static io.edgefleet.profile.Api.await;
import static io.edgefleet.profile.Api.create;
import static io.edgefleet.profile.Api.list;
import static io.edgefleet.profile.Api.obj;
import static io.edgefleet.profile.Api.profile;
import static io.edgefleet.profile.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registries read over HTTP from a server this test runs: a real-world-shaped Helm repository index and
 * a pack index; broken registries (unreachable, 404, malformed) keep their last good catalog; a sync that
 * finds a new version publishes it and re-links trains; registries are synced on a schedule.
 */
@QuarkusTest
@TestInfrastructure
class RegistrySyncTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private RegistryServer server;
    private TopicReader events;

    @BeforeEach
    void start() throws IOException {
        server = new RegistryServer();
        events = new TopicReader(Topics.PROFILE_EVENTS);
    }

    @AfterEach
    void stop() {
        server.close();
        events.close();
    }

    static String helmIndex() throws IOException {
        return new String(IndexParserTest.resource("registries/helm-index.yaml"), StandardCharsets.UTF_8);
    }

    static String registry(String name, String kind, String url) {
        return admin(TENANT_A)
                .body(obj("name", name, "kind", kind, "url", url))
                .post("/v1/registries")
                .then()
                .statusCode(201)
                .body("kind", equalTo(kind))
                .body("url", equalTo(url))
                .extract()
                .path("id");
    }

    static void sync(String id) {
        admin(TENANT_A)
                .post("/v1/registries/" + id + "/sync")
                .then()
                .statusCode(200)
                .body("registry.lastSyncError", nullValue())
                .body("registry.lastSuccessAt", notNullValue());
    }

    @Test
    void readsAHelmRepositoryIndex() throws IOException {
        server.serve("/charts/index.yaml", helmIndex());
        String id = registry("helm-charts", "HELM", server.url("/charts"));
        admin(TENANT_A)
                .post("/v1/registries/" + id + "/sync")
                .then()
                .statusCode(200)
                .body("registry.packs", equalTo(5))
                .body("registry.versions", equalTo(38))
                .body("skipped", hasItem("nightly-tools latest: not a semantic version"));

        viewer(TENANT_A)
                .get("/v1/packs?registry=" + id + "&size=200")
                .then()
                .statusCode(200)
                .body("total", equalTo(5))
                .body(
                        "items.name",
                        equalTo(List.of(
                                "cert-manager", "ingress-nginx", "kube-prometheus-stack", "metallb", "nightly-tools")))
                .body("items.registryKind", hasItem("HELM"))
                .body("items.find { it.name == 'ingress-nginx' }.latest", equalTo("4.10.1"))
                .body("items.find { it.name == 'ingress-nginx' }.versions", hasSize(11))
                .body("items.find { it.name == 'cert-manager' }.addonType", equalTo("security"));
        viewer(TENANT_A)
                .get("/v1/packs/" + id + "/ingress-nginx")
                .then()
                .statusCode(200)
                .body("layer", equalTo("ADDON"))
                .body("versions", hasSize(12))
                .body("versions[0].version", equalTo("4.11.0-beta.0"))
                .body("versions[0].prerelease", equalTo(true))
                .body("versions[1].appVersion", equalTo("1.10.1"));
        viewer(TENANT_A)
                .get("/v1/packs/" + id + "/ingress-nginx/versions/4.10.1")
                .then()
                .statusCode(200)
                .body("appVersion", equalTo("1.10.1"))
                .body("digest", equalTo("2a3c565d20ab85fd7b87bfe87ab80d83605742ccf21952b67530269a492f98a4"))
                .body(
                        "urls[0]",
                        equalTo(
                                "https://github.com/kubernetes/ingress-nginx/releases/download/helm-chart-4.10.1/ingress-nginx-4.10.1.tgz"))
                .body("created", notNullValue())
                .body("defaults", equalTo(""));
        // trains ignore the beta; Helm's "v" prefixes are versions like any other
        viewer(TENANT_A)
                .get("/v1/packs/" + id + "/ingress-nginx/versions/4.x")
                .then()
                .body("version", equalTo("4.10.1"));
        viewer(TENANT_A)
                .get("/v1/packs/" + id + "/cert-manager/versions/1.14.x")
                .then()
                .body("version", equalTo("v1.14.5"));
        viewer(TENANT_A).get("/v1/packs/" + id + "/common").then().statusCode(404);

        // a HELM layer: chart, version train and values over the chart's own defaults
        String p = create(
                TENANT_A,
                profile(
                        "helm-addons",
                        "ADDON",
                        list(
                                obj(
                                        "source",
                                        "HELM",
                                        "registry",
                                        id,
                                        "name",
                                        "cert-manager",
                                        "version",
                                        "1.14.x",
                                        "values",
                                        "installCRDs: true\n"),
                                obj("source", "HELM", "registry", id, "name", "ingress-nginx", "version", "4.9.1"))));
        viewer(TENANT_A)
                .get("/v1/profiles/" + p + "/resolved")
                .then()
                .statusCode(200)
                .body("layers.version", equalTo(List.of("v1.14.5", "4.9.1")))
                .body("layers[0].values", equalTo("installCRDs: true\n"));
    }

    @Test
    void aSyncThatFindsANewChartVersionPublishesItAndReLinksTrains() throws IOException {
        String index = helmIndex();
        server.serve("/repo/index.yaml", index);
        String id = registry("helm-relink", "HELM", server.url("/repo"));
        sync(id);
        String p = create(
                TENANT_A,
                profile(
                        "helm-train",
                        "ADDON",
                        list(obj("source", "HELM", "registry", id, "name", "metallb", "version", "0.14.x"))));
        assertEquals(
                "0.14.5",
                viewer(TENANT_A).get("/v1/profiles/" + p).then().extract().path("layers[0].resolvedVersion"));

        String newer = index.replace("  metallb:\n", """
                  metallb:
                  - apiVersion: v2
                    appVersion: v0.14.6
                    created: "2024-06-03T11:02:52.123456789Z"
                    description: A network load-balancer implementation for Kubernetes using standard routing protocols
                    digest: 0f3c1d9a3b7e4c2a1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c
                    name: metallb
                    urls:
                    - https://metallb.github.io/metallb/metallb-0.14.6.tgz
                    version: 0.14.6
                """);
        server.serve("/repo/index.yaml", newer);
        sync(id);
        assertEquals(
                "0.14.6",
                viewer(TENANT_A).get("/v1/profiles/" + p).then().extract().path("layers[0].resolvedVersion"));

        var published = Api.awaitDistinct(
                events,
                r -> r.event().type().equals(EventTypes.PACK_VERSION_PUBLISHED)
                        && r.event().subject().equals(id + "/metallb/0.14.6"),
                1,
                Duration.ofSeconds(30));
        assertEquals(1, published.size());
        PackVersionPublished payload = published.get(0).event().dataAs(PackVersionPublished.class);
        assertEquals("HELM", payload.registryKind().name());
        assertEquals("v0.14.6", payload.appVersion());
        assertEquals(TENANT_A, published.get(0).event().tenant());
        var relinked = events.await(
                r -> r.event().type().equals(EventTypes.PROFILE_RELINKED)
                        && r.event().subject().equals(p),
                1,
                Duration.ofSeconds(30));
        ProfileRelinked event = relinked.get(0).event().dataAs(ProfileRelinked.class);
        assertEquals(
                List.of("0.14.x", "0.14.5", "0.14.6", "metallb"),
                List.of(event.train(), event.oldVersion(), event.newVersion(), event.packName()));
    }

    @Test
    void brokenRegistriesKeepTheirLastGoodCatalog() throws IOException {
        server.serve("/flaky/index.yaml", helmIndex());
        String id = registry("helm-flaky", "HELM", server.url("/flaky/"));
        sync(id);
        String goodSync =
                viewer(TENANT_A).get("/v1/registries/" + id).then().extract().path("lastSuccessAt");

        // malformed YAML
        server.serve("/flaky/index.yaml", "apiVersion: v1\nentries:\n  metallb: [\n");
        admin(TENANT_A)
                .post("/v1/registries/" + id + "/sync")
                .then()
                .statusCode(502)
                .contentType(PROBLEM)
                .body("field", equalTo("url"))
                .body("detail", containsString("malformed Helm index: is not valid YAML (line"))
                .body("detail", containsString("last good catalog is still offered"));
        assertLastGoodCatalog(id, goodSync, "malformed Helm index");

        // valid YAML, but not a Helm index (a web page, a wrong URL)
        server.serve("/flaky/index.yaml", "<html><body>Welcome to nginx!</body></html>\n");
        admin(TENANT_A)
                .post("/v1/registries/" + id + "/sync")
                .then()
                .statusCode(502)
                .body("detail", containsString("expected a mapping"));
        assertLastGoodCatalog(id, goodSync, "malformed Helm index: expected a mapping");

        // gone: 404, then a server error
        server.serve("/flaky/index.yaml", 404, "no such file".getBytes(StandardCharsets.UTF_8));
        admin(TENANT_A)
                .post("/v1/registries/" + id + "/sync")
                .then()
                .statusCode(502)
                .body("detail", containsString("(HTTP 404)"));
        assertLastGoodCatalog(id, goodSync, "no index at " + server.url("/flaky/index.yaml") + " (HTTP 404)");
        server.serve("/flaky/index.yaml", 503, new byte[0]);
        admin(TENANT_A).post("/v1/registries/" + id + "/sync").then().statusCode(502);
        assertLastGoodCatalog(id, goodSync, "the registry answered HTTP 503");

        // back: the error is cleared
        server.serve("/flaky/index.yaml", helmIndex());
        sync(id);
        viewer(TENANT_A)
                .get("/v1/registries/" + id)
                .then()
                .body("lastSyncError", nullValue())
                .body("lastSuccessAt", not(equalTo(goodSync)));
    }

    private static void assertLastGoodCatalog(String id, String goodSync, String error) {
        viewer(TENANT_A)
                .get("/v1/registries/" + id)
                .then()
                .statusCode(200)
                .body("lastSyncError", containsString(error))
                .body("lastSuccessAt", equalTo(goodSync))
                .body("lastSyncAt", not(equalTo(goodSync)))
                .body("packs", equalTo(5))
                .body("versions", equalTo(38));
        viewer(TENANT_A)
                .get("/v1/packs/" + id + "/metallb/versions/0.14.5")
                .then()
                .statusCode(200);
    }

    @Test
    void anUnreachableRegistryIsReportedClearly() throws IOException {
        String url = RegistryServer.unreachableUrl();
        String id = registry("helm-unreachable", "HELM", url);
        admin(TENANT_A)
                .post("/v1/registries/" + id + "/sync")
                .then()
                .statusCode(502)
                .contentType(PROBLEM)
                .body("title", equalTo("Registry unavailable"))
                .body("detail", containsString("cannot connect to 127.0.0.1:"));
        viewer(TENANT_A)
                .get("/v1/registries/" + id)
                .then()
                .body("lastSyncError", containsString("cannot connect"))
                .body("lastSyncAt", notNullValue())
                .body("lastSuccessAt", nullValue())
                .body("packs", equalTo(0));
    }

    @Test
    void readsAPackIndexAndWithdrawsVersionsItDrops() {
        String index = """
                apiVersion: edgefleet.io/v1
                kind: PackIndex
                packs:
                  - name: site-agent
                    layer: ADDON
                    addonType: monitoring
                    displayName: Site agent
                    versions:
                      - version: 2.0.0
                        defaults: |
                          agent:
                            interval: 30s
                        presets:
                          - name: fast
                            label: Every 5 seconds
                            values: |
                              agent:
                                interval: 5s
                      - version: 2.1.0
                        defaults: |
                          agent:
                            interval: 30s
                  - name: hardened-ubuntu
                    layer: OS
                    versions:
                      - version: 22.04.1
                        defaults: |
                          kubeadmconfig:
                            preKubeadmCommands: [update-ca-certificates]
                """;
        server.serve("/packs/edge.yaml", index);
        String id = registry("site-packs", "PACK", server.url("/packs/edge.yaml"));
        sync(id);
        viewer(TENANT_A)
                .get("/v1/packs?registry=" + id + "&layer=ADDON")
                .then()
                .body("items.name", equalTo(List.of("site-agent")))
                .body("items[0].latest", equalTo("2.1.0"));
        viewer(TENANT_A)
                .get("/v1/packs/" + id + "/site-agent/versions/2.0.0")
                .then()
                .body("presets[0].name", equalTo("fast"))
                .body("defaults", containsString("interval: 30s"));
        String pinned = create(
                TENANT_A,
                profile(
                        "pack-index-pinned",
                        "ADDON",
                        list(obj("registry", id, "name", "site-agent", "version", "2.0.0", "presets", list("fast")))));

        // 2.0.0 leaves the index: withdrawn, hidden from searches and trains, still resolved for the pinned profile
        server.serve("/packs/edge.yaml", index.replace("      - version: 2.0.0", "      - version: 2.2.0"));
        sync(id);
        viewer(TENANT_A)
                .get("/v1/packs/" + id + "/site-agent")
                .then()
                .body("versions.version", equalTo(List.of("2.2.0", "2.1.0", "2.0.0")))
                .body("versions.withdrawn", equalTo(List.of(false, false, true)));
        viewer(TENANT_A)
                .get("/v1/packs?registry=" + id + "&name=site-agent")
                .then()
                .body("items[0].versions", hasSize(2));
        viewer(TENANT_A)
                .get("/v1/profiles/" + pinned + "/resolved")
                .then()
                .body("layers[0].values", containsString("interval: 5s"));

        // a malformed pack index names the entry; the catalog stays
        server.serve("/packs/edge.yaml", index.replace("layer: OS", "layer: FIRMWARE"));
        admin(TENANT_A)
                .post("/v1/registries/" + id + "/sync")
                .then()
                .statusCode(502)
                .body("detail", containsString("malformed pack index: packs[1].layer: must be one of"));
        viewer(TENANT_A)
                .get("/v1/packs?registry=" + id + "&layer=OS")
                .then()
                .body("items[0].name", equalTo("hardened-ubuntu"));
    }

    @Test
    void registriesAreSyncedOnASchedule() {
        server.serve(
                "/scheduled/index.yaml",
                "apiVersion: v1\nentries:\n  tiny:\n  - name: tiny\n    version: 0.1.0\n    urls: [tiny-0.1.0.tgz]\n");
        String id = registry("helm-scheduled", "HELM", server.url("/scheduled"));
        // nobody calls sync: the scheduler picks up a registry that was never synced
        await(
                "the scheduler synced the new registry",
                Duration.ofSeconds(20),
                () -> viewer(TENANT_A)
                                .get("/v1/registries/" + id)
                                .then()
                                .extract()
                                .path("lastSuccessAt")
                        != null);
        viewer(TENANT_A)
                .get("/v1/packs/" + id + "/tiny/versions/0.1.0")
                .then()
                .statusCode(200)
                .body("urls[0]", equalTo("tiny-0.1.0.tgz"));
        assertTrue(server.requests() >= 1);
    }
}
