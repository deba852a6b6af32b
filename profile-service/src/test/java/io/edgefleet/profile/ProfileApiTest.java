package io.edgefleet.profile;

import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.profile.Api.PROBLEM;
import static io.edgefleet.profile.Api.admin;
import static io.edgefleet.profile.Api.core;
import static io.edgefleet.profile.Api.create;
import static io.edgefleet.profile.Api.list;
import static io.edgefleet.profile.Api.manifest;
import static io.edgefleet.profile.Api.obj;
import static io.edgefleet.profile.Api.pack;
import static io.edgefleet.profile.Api.profile;
import static io.edgefleet.profile.Api.viewer;
import static io.edgefleet.profile.Api.with;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Cluster profiles over REST: layer rules per type, version trains against the built-in catalog, merged
 * values, every validation error, versions, clones, roles and tenant isolation.
 */
@QuarkusTest
@TestInfrastructure
class ProfileApiTest {

    @Test
    void createsAFullProfileResolvedToConcreteReleasesWithMergedValues() {
        var layers = list(
                with(pack("ubuntu", "22.04.x"), "presets", list("custom-ca"), "values", """
                        kubeadmconfig:
                          ntp:
                            servers: [ntp.hospital.example]
                        pack:
                          vmImage: ubuntu-22.04.qcow2
                        """),
                with(pack("kubernetes", "1.29.x"), "values", "pack:\n  podCIDR: 172.16.0.0/16\n"),
                with(
                        pack("calico", "3.27.3"),
                        "presets",
                        list("vxlan"),
                        "values",
                        "manifests:\n  calico:\n    mtu: 1300\n"),
                pack("longhorn", "1.6.x"),
                with(
                        pack("prometheus-operator", "57.x"),
                        "presets",
                        list("no-grafana"),
                        "manifests",
                        list(manifest("monitoring-ns", "Namespace", "monitoring"))),
                obj(
                        "source",
                        "MANIFEST",
                        "name",
                        "site-config",
                        "manifests",
                        list(manifest("site", "ConfigMap", "site-info"))));
        var body = obj(
                "name",
                "full-hospital",
                "description",
                "Hospital edge stack\nwith monitoring",
                "tags",
                obj("region", "eu", "tier", "edge"),
                "type",
                "FULL",
                "environment",
                "edge",
                "cloudType",
                "virtualized",
                "layers",
                layers);

        String id = admin(TENANT_A)
                .body(body)
                .post("/v1/profiles")
                .then()
                .statusCode(201)
                .header("Location", containsString("/v1/profiles/"))
                .body("name", equalTo("full-hospital"))
                .body("version", equalTo("1.0.0"))
                .body("type", equalTo("FULL"))
                .body("environment", equalTo("edge"))
                .body("cloudType", equalTo("virtualized"))
                .body("tags.region", equalTo("eu"))
                .body("revision", notNullValue())
                .body("layers.layer", equalTo(List.of("OS", "KUBERNETES", "NETWORK", "STORAGE", "ADDON", "ADDON")))
                .body("layers.source", equalTo(List.of("PACK", "PACK", "PACK", "PACK", "PACK", "MANIFEST")))
                .body("layers.version", equalTo(list("22.04.x", "1.29.x", "3.27.3", "1.6.x", "57.x", null)))
                // trains link the newest release on them; 1.31.0-rc.1 and 1.30.x are not on 1.29.x
                .body("layers.resolvedVersion", equalTo(list("22.04.5", "1.29.8", "3.27.3", "1.6.2", "57.2.0", null)))
                .body("layers[0].registry", equalTo("builtin"))
                .body("layers[5].registry", nullValue())
                .extract()
                .path("id");

        viewer(TENANT_A)
                .get("/v1/profiles/" + id + "/resolved")
                .then()
                .statusCode(200)
                .body("layers.version", equalTo(list("22.04.5", "1.29.8", "3.27.3", "1.6.2", "57.2.0", null)))
                .body("layers.train", equalTo(list("22.04.x", "1.29.x", null, "1.6.x", "57.x", null)))
                // preset, then overrides, over the defaults
                .body(
                        "layers[0].values",
                        allOf(
                                containsString("targetPath: /usr/local/share/ca-certificates/custom-ca.crt"),
                                containsString("ntp.hospital.example"),
                                containsString("update-ca-certificates")))
                .body(
                        "layers[1].values",
                        allOf(containsString("podCIDR: 172.16.0.0/16"), containsString("serviceCIDR: 10.96.0.0/12")))
                .body("layers[2].values", allOf(containsString("CALICO_IPV4POOL_VXLAN"), containsString("mtu: 1300")))
                .body("layers[4].values", containsString("enabled: false"))
                .body("layers[4].manifests[0].name", equalTo("monitoring-ns"))
                .body("layers[5].manifests[0].content", containsString("site-info"));
    }

    @Test
    void valuesMergeDeeplyWithListsReplacedAndNullRemovingKeys() {
        String id = create(
                TENANT_A,
                profile(
                        "merge-rules",
                        "FULL",
                        list(
                                with(pack("ubuntu", "22.04.5"), "values", """
                        kubeadmconfig:
                          postKubeadmCommands: [echo replaced]
                          ntp: null
                        """),
                                pack("kubernetes", "1.29.4"),
                                pack("calico", "3.27.3"),
                                pack("longhorn", "1.6.2"))));
        String os = viewer(TENANT_A)
                .get("/v1/profiles/" + id + "/resolved")
                .then()
                .statusCode(200)
                .extract()
                .path("layers[0].values");
        Assertions.assertTrue(
                os.contains("- echo replaced")
                        && !os.contains("Executing post kube admin")
                        && !os.contains("ntp:")
                        && os.contains("update-ca-certificates"),
                os);
    }

    @Test
    void layerRulesDependOnTheProfileType() {
        // FULL and INFRA: exactly one each of OS, KUBERNETES, NETWORK, STORAGE, in that order, at the bottom
        admin(TENANT_A)
                .body(profile(
                        "rules-missing",
                        "FULL",
                        list(pack("ubuntu", "22.04.x"), pack("kubernetes", "1.29.x"), pack("calico", "3.27.x"))))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("layers"))
                .body("detail", containsString("STORAGE missing"));
        admin(TENANT_A)
                .body(profile(
                        "rules-order",
                        "FULL",
                        list(
                                pack("kubernetes", "1.29.x"),
                                pack("ubuntu", "22.04.x"),
                                pack("calico", "3.27.x"),
                                pack("longhorn", "1.6.x"))))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("layers[0]", "layers[1]"))
                .body("errors.find { it.field == 'layers[0]' }.message", containsString("must be the OS layer"));
        var twoNetworks = core();
        twoNetworks.add(pack("cilium", "1.15.x"));
        admin(TENANT_A)
                .body(profile("rules-two", "FULL", twoNetworks))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("layers[4]"))
                .body("detail", containsString("a second NETWORK layer"));
        var infraWithAddon = core();
        infraWithAddon.add(pack("metallb", "0.14.x"));
        admin(TENANT_A)
                .body(profile("rules-infra", "INFRA", infraWithAddon))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("layers[4]"))
                .body("detail", containsString("INFRA profiles have only the core layers"));
        admin(TENANT_A)
                .body(profile("rules-infra-ok", "INFRA", core()))
                .post("/v1/profiles")
                .then()
                .statusCode(201)
                .body("layers", hasSize(4));
        var fullWithAddons = core();
        fullWithAddons.add(pack("metallb", "0.14.x"));
        fullWithAddons.add(pack("falco", "4.x"));
        admin(TENANT_A)
                .body(profile("rules-full-ok", "FULL", fullWithAddons))
                .post("/v1/profiles")
                .then()
                .statusCode(201);

        // ADDON: add-on layers only, at least one; no environment needed
        admin(TENANT_A)
                .body(profile(
                        "rules-addon-core", "ADDON", list(pack("metallb", "0.14.x"), pack("kubernetes", "1.29.x"))))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("layers[1]"))
                .body("detail", containsString("ADDON profiles cannot have core layers"));
        admin(TENANT_A)
                .body(profile("rules-addon-empty", "ADDON", list()))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("layers"));
        admin(TENANT_A)
                .body(profile(
                        "rules-addon-ok",
                        "ADDON",
                        list(
                                pack("metallb", "0.14.x"),
                                obj(
                                        "source",
                                        "MANIFEST",
                                        "name",
                                        "crds",
                                        "manifests",
                                        list(manifest("crd", "ConfigMap", "x"))))))
                .post("/v1/profiles")
                .then()
                .statusCode(201)
                .body("environment", nullValue())
                .body("cloudType", nullValue())
                .body("layers.layer", everyItem(equalTo("ADDON")));
        // the same pack twice is refused in any type
        admin(TENANT_A)
                .body(profile("rules-addon-dup", "ADDON", list(pack("metallb", "0.14.x"), pack("metallb", "0.13.x"))))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("layers[1].name"))
                .body("detail", containsString("already layer 0"));
    }

    @Test
    void everyProfileFieldIsValidatedWithTheFieldNamed() {
        admin(TENANT_A)
                .body(obj(
                        "name",
                        "bad name!",
                        "version",
                        "1.0",
                        "description",
                        "bell\u0007",
                        "tags",
                        obj("bad key", "v"),
                        "type",
                        "MEDIUM",
                        "environment",
                        "cloud",
                        "cloudType",
                        "hybrid",
                        "layers",
                        list()))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("title", equalTo("Invalid request"))
                .body(
                        "errors.field",
                        hasItems("name", "version", "description", "tags.bad key", "type", "environment", "cloudType"));
        admin(TENANT_A)
                .body(obj("name", "no-cloud", "type", "FULL", "layers", core()))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("cloudType"))
                .body("detail", containsString("required for FULL and INFRA"));
        // a virtualized profile names the base image volume its nodes boot from, or it could never make a node
        admin(TENANT_A)
                .body(with(profile("no-vm-image", "FULL", core()), "cloudType", "virtualized"))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("layers[0].values"))
                .body("detail", containsString("virtualized profiles need pack.vmImage in the OS layer"));
        viewer(TENANT_A).get("/v1/profiles?name=no-vm-image").then().body("total", equalTo(0));
        admin(TENANT_A)
                .body(obj("name", "no-layers", "type", "ADDON"))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("layers"));
        admin(TENANT_A)
                .body(obj("name", "no-type", "layers", list()))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("type"));
    }

    @Test
    void everyLayerErrorIsReportedAtOnceWithItsPath() {
        String unknownRegistry = UUID.randomUUID().toString();
        var layers = list(
                with(
                        pack("ubuntu", "22.04.x"),
                        "values",
                        "kubeadmconfig:\n  files:\n    - targetPath: etc/x\n      targetPermissions: 644\n"),
                with(pack("kubernetes", "1.29.x"), "values", "pack:\n  podCIDR: 10.0.0.0/8\n"),
                with(pack("calico", "3.27.3"), "presets", list("vxlan", "cross-subnet", "turbo")),
                pack("longhorn", "9.x"),
                pack("calicoo", "3.x"),
                pack("metallb", "0.14.99"),
                pack("falco", "latest"),
                with(pack("ingress-nginx", "4.x"), "values", "controller: [unclosed"),
                with(pack("prometheus-operator", "57.x"), "values", "- a\n- list\n"),
                obj("source", "HELM", "name", "redis", "version", "18.x"),
                obj("source", "HELM", "registry", "builtin", "name", "some-chart", "version", "0.14.x"),
                obj(
                        "source",
                        "HELM",
                        "registry",
                        unknownRegistry,
                        "name",
                        "cert-manager",
                        "version",
                        "1.x",
                        "presets",
                        list("x")),
                obj("source", "MANIFEST", "name", "crds", "version", "1.0.0"),
                obj(
                        "source",
                        "MANIFEST",
                        "name",
                        "Bad_Name",
                        "manifests",
                        list(
                                obj("name", "broken", "content", "apiVersion: v1\nkind: [\n"),
                                obj("name", "incomplete", "content", "apiVersion: v1\nmetadata: {}\n"),
                                obj(
                                        "name",
                                        "incomplete",
                                        "content",
                                        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"))),
                obj("source", "CHART", "name", "x"));
        admin(TENANT_A)
                .body(profile("all-errors", "FULL", layers))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body(
                        "errors.field",
                        hasItems(
                                "layers[0].values.kubeadmconfig.files[0].targetPath",
                                "layers[0].values.kubeadmconfig.files[0].targetPermissions",
                                "layers[1].values.pack.serviceCIDR",
                                "layers[2].presets[1]",
                                "layers[2].presets[2]",
                                "layers[3].version",
                                "layers[4].name",
                                "layers[5].version",
                                "layers[6].version",
                                "layers[7].values",
                                "layers[8].values",
                                "layers[9].registry",
                                "layers[10].registry",
                                "layers[11].presets",
                                "layers[12].version",
                                "layers[12].manifests",
                                "layers[13].name",
                                "layers[13].manifests[0].content",
                                "layers[13].manifests[1].content",
                                "layers[13].manifests[2].name",
                                "layers[14].source"))
                .body(
                        "errors.find { it.field == 'layers[1].values.pack.serviceCIDR' }.message",
                        containsString("overlaps the pod CIDR '10.0.0.0/8'"))
                .body(
                        "errors.find { it.field == 'layers[2].presets[1]' }.message",
                        containsString("'cross-subnet' and 'vxlan' are alternatives"))
                .body(
                        "errors.find { it.field == 'layers[2].presets[2]' }.message",
                        containsString("'turbo' is not a preset of calico 3.27.3; it has: vxlan, cross-subnet"))
                .body(
                        "errors.find { it.field == 'layers[3].version' }.message",
                        equalTo("longhorn has no release on train 9.x (newest: 1.6.2)"))
                .body(
                        "errors.find { it.field == 'layers[4].name' }.message",
                        equalTo("registry 'edgefleet' has no pack 'calicoo'"))
                .body(
                        "errors.find { it.field == 'layers[5].version' }.message",
                        equalTo("metallb has no version 0.14.99 (newest: 0.14.5)"))
                .body(
                        "errors.find { it.field == 'layers[6].version' }.message",
                        containsString("1.1.1 or a train like 1.x"))
                .body("errors.find { it.field == 'layers[7].values' }.message", startsWith("is not valid YAML (line 1"))
                .body(
                        "errors.find { it.field == 'layers[8].values' }.message",
                        containsString("must be a YAML mapping"))
                .body(
                        "errors.find { it.field == 'layers[10].registry' }.message",
                        containsString("HELM layers need a Helm chart registry"))
                .body(
                        "errors.find { it.field == 'layers[13].manifests[1].content' }.message",
                        equalTo("kind is required"));

        // malformed and overlapping CIDRs of the KUBERNETES layer
        var cidrs = core();
        cidrs.set(
                1,
                with(
                        pack("kubernetes", "1.29.x"),
                        "values",
                        "pack:\n  podCIDR: 192.168.1.0/16\n  serviceCIDR: 10.96.0.0/99\n"));
        admin(TENANT_A)
                .body(profile("bad-cidrs", "FULL", cidrs))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("layers[1].values.pack.podCIDR", "layers[1].values.pack.serviceCIDR"))
                .body(
                        "errors.find { it.field == 'layers[1].values.pack.podCIDR' }.message",
                        containsString("host bits set; the network is 192.168.0.0/16"));
        viewer(TENANT_A).get("/v1/profiles?name=all-errors").then().body("total", equalTo(0));
        viewer(TENANT_A).get("/v1/profiles?name=bad-cidrs").then().body("total", equalTo(0));
    }

    @Test
    void malformedBodiesAre400Not500() {
        admin(TENANT_A)
                .body("{\"name\": ") // cut off mid-document: kept as the exact bytes
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("body"));
        admin(TENANT_A)
                .body(with(profile("unknown-field", "ADDON", list(pack("metallb", "0.14.x"))), "colour", "red"))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("colour"));
        admin(TENANT_A)
                .body(obj(
                        "name",
                        "x",
                        "type",
                        "ADDON",
                        "layers",
                        list(obj("name", "metallb", "version", "0.14.x", "shade", 1))))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("layers[0].shade"));
        admin(TENANT_A)
                .body(obj("name", "x", "type", "ADDON", "layers", "metallb"))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("layers"));
        admin(TENANT_A)
                .body(obj("name", "x", "type", "ADDON", "layers", list(obj("name", "metallb", "presets", "bgp"))))
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .body("field", equalTo("layers[0].presets"));
        admin(TENANT_A)
                .post("/v1/profiles")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("body"));
        admin(TENANT_A)
                .contentType(ContentType.TEXT)
                .body("name=x")
                .post("/v1/profiles")
                .then()
                .statusCode(415)
                .contentType(PROBLEM);
        String huge = """
                {"name":"huge","description":"%s"}""".formatted("x".repeat(70_000));
        admin(TENANT_A).body(huge).post("/v1/profiles").then().statusCode(413).contentType(PROBLEM);
    }

    @Test
    void badQueryAndPathParametersAre400() {
        viewer(TENANT_A)
                .get("/v1/profiles?type=MEDIUM")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("type"));
        viewer(TENANT_A).get("/v1/profiles?page=-1").then().statusCode(400).body("field", equalTo("page"));
        viewer(TENANT_A).get("/v1/profiles?size=0").then().statusCode(400).body("field", equalTo("size"));
        viewer(TENANT_A).get("/v1/profiles?size=abc").then().statusCode(400).body("field", equalTo("size"));
        viewer(TENANT_A)
                .get("/v1/profiles?name=bad%20name")
                .then()
                .statusCode(400)
                .body("field", equalTo("name"));
        viewer(TENANT_A).get("/v1/profiles/not-a-uuid").then().statusCode(400).body("field", equalTo("id"));
        viewer(TENANT_A)
                .get("/v1/profiles/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        viewer(TENANT_A)
                .get("/v1/profiles?name=bad%20name&type=MEDIUM&page=x&size=0")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("name"))
                .body("errors.field", contains("name", "type", "page", "size"));
    }

    @Test
    void aBadIdAndABadBodyAreReportedTogether() {
        admin(TENANT_A)
                .body("""
                {"description": "x", "tags": {"-bad": "1"}}
                """)
                .put("/v1/profiles/not-a-uuid")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("id"))
                .body("errors.field", contains("id", "tags.-bad", "layers"));
        admin(TENANT_A)
                .put("/v1/profiles/not-a-uuid")
                .then()
                .statusCode(400)
                .body("errors.field", contains("id", "body"));
        admin(TENANT_A)
                .body("""
                {"version": "v2", "layers": [null]}
                """)
                .post("/v1/profiles/not-a-uuid/versions")
                .then()
                .statusCode(400)
                .body("errors.field", contains("id", "version", "layers[0]"));
        admin(TENANT_A)
                .body("""
                {"name": "bad name", "version": "1"}
                """)
                .post("/v1/profiles/" + "x".repeat(300) + "/clone")
                .then()
                .statusCode(400)
                .body("errors.field", contains("id", "name", "version"));
        admin(TENANT_A)
                .post("/v1/profiles/not-a-uuid/clone")
                .then()
                .statusCode(400)
                .body("errors.field", contains("id", "body"));
    }

    @Test
    void updatesReplaceLayersDescriptionAndTags() {
        String id = create(
                TENANT_A, with(profile("update-me", "FULL", core()), "tags", obj("a", "1"), "description", "old"));
        int revision =
                viewer(TENANT_A).get("/v1/profiles/" + id).then().extract().path("revision");
        var layers = core();
        layers.set(2, pack("cilium", "1.15.x"));
        admin(TENANT_A)
                .body(obj("description", "new", "tags", obj("b", "2"), "layers", layers))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(200)
                .body("description", equalTo("new"))
                .body("tags.b", equalTo("2"))
                .body("tags.a", nullValue())
                .body("layers[2].name", equalTo("cilium"))
                .body("layers[2].resolvedVersion", equalTo("1.15.6"))
                .body("revision", greaterThan(revision))
                .body("version", equalTo("1.0.0"));
        // a rejected update changes nothing
        layers.set(2, pack("cilium", "7.x"));
        admin(TENANT_A)
                .body(obj("layers", layers))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(400)
                .body("field", equalTo("layers[2].version"));
        admin(TENANT_A)
                .body(obj("description", "x"))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(400)
                .body("field", equalTo("layers"));
        viewer(TENANT_A)
                .get("/v1/profiles/" + id)
                .then()
                .body("description", equalTo("new"))
                .body("layers[2].name", equalTo("cilium"));
        admin(TENANT_A)
                .body(obj("layers", core()))
                .put("/v1/profiles/" + UUID.randomUUID())
                .then()
                .statusCode(404);
    }

    @Test
    void newVersionsAreNewRowsAndEarlierVersionsStay() {
        String v1 = create(
                TENANT_A, with(profile("versioned", "FULL", core()), "description", "first", "tags", obj("t", "1")));
        String v11 = admin(TENANT_A)
                .body(obj("version", "1.1.0"))
                .post("/v1/profiles/" + v1 + "/versions")
                .then()
                .statusCode(201)
                .header("Location", containsString("/v1/profiles/"))
                .body("name", equalTo("versioned"))
                .body("version", equalTo("1.1.0"))
                .body("description", equalTo("first"))
                .body("tags.t", equalTo("1"))
                .body("type", equalTo("FULL"))
                .body("cloudType", equalTo("containerized"))
                .body("layers.resolvedVersion", equalTo(List.of("22.04.5", "1.29.8", "3.27.3", "1.6.2")))
                .body("id", not(equalTo(v1)))
                .extract()
                .path("id");
        var layers = core();
        layers.add(pack("metallb", "0.14.x"));
        String v2 = admin(TENANT_A)
                .body(obj("version", "2.0.0", "description", "second", "layers", layers))
                .post("/v1/profiles/" + v11 + "/versions")
                .then()
                .statusCode(201)
                .body("layers", hasSize(5))
                .body("description", equalTo("second"))
                .extract()
                .path("id");
        admin(TENANT_A)
                .body(obj("version", "1.10.0"))
                .post("/v1/profiles/" + v1 + "/versions")
                .then()
                .statusCode(201);

        viewer(TENANT_A)
                .get("/v1/profiles/" + v1)
                .then()
                .statusCode(200)
                .body("version", equalTo("1.0.0"))
                .body("layers", hasSize(4));
        viewer(TENANT_A)
                .get("/v1/profiles/" + v2 + "/versions")
                .then()
                .statusCode(200)
                .body("version", equalTo(List.of("1.0.0", "1.1.0", "1.10.0", "2.0.0")));
        admin(TENANT_A)
                .body(obj("version", "1.1.0"))
                .post("/v1/profiles/" + v2 + "/versions")
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("field", equalTo("version"))
                .body("detail", containsString("already has version 1.1.0"));
        admin(TENANT_A)
                .body(obj("version", "v3"))
                .post("/v1/profiles/" + v2 + "/versions")
                .then()
                .statusCode(400)
                .body("field", equalTo("version"));
        admin(TENANT_A)
                .body(obj())
                .post("/v1/profiles/" + v2 + "/versions")
                .then()
                .statusCode(400)
                .body("field", equalTo("version"));
        admin(TENANT_A)
                .body(obj("version", "3.0.0", "layers", list(pack("metallb", "0.14.x"))))
                .post("/v1/profiles/" + v2 + "/versions")
                .then()
                .statusCode(400)
                .body("field", equalTo("layers[0]"));
        admin(TENANT_A)
                .body(with(profile("versioned", "FULL", core()), "version", "2.0.0"))
                .post("/v1/profiles")
                .then()
                .statusCode(409);
    }

    @Test
    void clonesCopyAProfileUnderANewName() {
        String source = create(TENANT_A, with(profile("clone-source", "FULL", core()), "tags", obj("site", "x")));
        admin(TENANT_A)
                .body(obj("name", "clone-copy"))
                .post("/v1/profiles/" + source + "/clone")
                .then()
                .statusCode(201)
                .body("name", equalTo("clone-copy"))
                .body("version", equalTo("1.0.0"))
                .body("tags.site", equalTo("x"))
                .body("layers.name", equalTo(List.of("ubuntu", "kubernetes", "calico", "longhorn")))
                .body("layers.version", equalTo(List.of("22.04.x", "1.29.x", "3.27.x", "1.6.x")))
                .body("id", not(equalTo(source)));
        admin(TENANT_A)
                .body(obj("name", "clone-copy"))
                .post("/v1/profiles/" + source + "/clone")
                .then()
                .statusCode(409)
                .body("field", equalTo("version"));
        admin(TENANT_A)
                .body(obj("name", "clone-copy", "version", "2.0.0", "description", "second copy"))
                .post("/v1/profiles/" + source + "/clone")
                .then()
                .statusCode(201)
                .body("description", equalTo("second copy"));
        admin(TENANT_A)
                .body(obj("name", "bad name"))
                .post("/v1/profiles/" + source + "/clone")
                .then()
                .statusCode(400)
                .body("field", equalTo("name"));
        admin(TENANT_A)
                .body(obj("name", "x"))
                .post("/v1/profiles/" + UUID.randomUUID() + "/clone")
                .then()
                .statusCode(404);
    }

    @Test
    void deletesOneVersion() {
        String v1 = create(TENANT_A, profile("delete-me", "ADDON", list(pack("falco", "4.x"))));
        String v2 = admin(TENANT_A)
                .body(obj("version", "1.0.1"))
                .post("/v1/profiles/" + v1 + "/versions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        admin(TENANT_A).delete("/v1/profiles/" + v1).then().statusCode(204);
        viewer(TENANT_A).get("/v1/profiles/" + v1).then().statusCode(404);
        admin(TENANT_A).delete("/v1/profiles/" + v1).then().statusCode(404);
        viewer(TENANT_A).get("/v1/profiles/" + v2).then().statusCode(200);
        viewer(TENANT_A).get("/v1/profiles/" + v2 + "/versions").then().body("version", equalTo(List.of("1.0.1")));
    }

    @Test
    void listsWithFiltersAndPages() {
        for (int i = 0; i < 3; i++) {
            create(TENANT_A, profile("listing-addon-" + i, "ADDON", list(pack("metallb", "0.14.x"))));
        }
        create(TENANT_A, profile("listing-infra", "INFRA", core()));
        viewer(TENANT_A)
                .get("/v1/profiles?name=LISTING&size=2")
                .then()
                .statusCode(200)
                .body("total", equalTo(4))
                .body("items", hasSize(2))
                .body("items[0].name", equalTo("listing-addon-0"))
                .body("items[1].name", equalTo("listing-addon-1"));
        viewer(TENANT_A)
                .get("/v1/profiles?name=listing&size=2&page=1")
                .then()
                .body("items.name", equalTo(List.of("listing-addon-2", "listing-infra")));
        viewer(TENANT_A)
                .get("/v1/profiles?name=listing&type=infra")
                .then()
                .body("total", equalTo(1))
                .body("items[0].type", equalTo("INFRA"));
    }

    @Test
    void everyEndpointNeedsAToken() {
        given().get("/v1/profiles")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer"));
        given().contentType(ContentType.JSON)
                .body(profile("anon", "ADDON", list(pack("metallb", "0.14.x"))))
                .post("/v1/profiles")
                .then()
                .statusCode(401);
        given().get("/v1/packs").then().statusCode(401);
        given().get("/v1/registries").then().statusCode(401);
        given().auth().oauth2("not-a-token").get("/v1/profiles").then().statusCode(401);
    }

    @Test
    void viewersReadButDoNotWrite() {
        String id = create(TENANT_A, profile("roles", "ADDON", list(pack("metallb", "0.14.x"))));
        viewer(TENANT_A)
                .body(profile("roles-2", "ADDON", list(pack("metallb", "0.14.x"))))
                .post("/v1/profiles")
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        viewer(TENANT_A)
                .body(obj("layers", list(pack("metallb", "0.14.x"))))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(403);
        viewer(TENANT_A)
                .body(obj("version", "1.0.1"))
                .post("/v1/profiles/" + id + "/versions")
                .then()
                .statusCode(403);
        viewer(TENANT_A)
                .body(obj("name", "roles-copy"))
                .post("/v1/profiles/" + id + "/clone")
                .then()
                .statusCode(403);
        viewer(TENANT_A).delete("/v1/profiles/" + id).then().statusCode(403);
        viewer(TENANT_A).get("/v1/profiles/" + id).then().statusCode(200);
        viewer(TENANT_A).get("/v1/profiles/" + id + "/resolved").then().statusCode(200);
        Api.as(TestTokens.gateway(TENANT_A)).get("/v1/profiles").then().statusCode(403);
        Api.as(TestTokens.token("no-tenant", null, "tenant-admin"))
                .get("/v1/profiles")
                .then()
                .statusCode(403)
                .body("detail", containsString("tenant"));
    }

    @Test
    void tenantsNeverSeeEachOthersProfiles() {
        String id = create(TENANT_A, profile("isolated", "ADDON", list(pack("metallb", "0.14.x"))));
        viewer(TENANT_B).get("/v1/profiles/" + id).then().statusCode(404).contentType(PROBLEM);
        viewer(TENANT_B).get("/v1/profiles/" + id + "/resolved").then().statusCode(404);
        viewer(TENANT_B).get("/v1/profiles/" + id + "/versions").then().statusCode(404);
        admin(TENANT_B)
                .body(obj("layers", list(pack("metallb", "0.14.x"))))
                .put("/v1/profiles/" + id)
                .then()
                .statusCode(404);
        admin(TENANT_B)
                .body(obj("version", "9.0.0"))
                .post("/v1/profiles/" + id + "/versions")
                .then()
                .statusCode(404);
        admin(TENANT_B)
                .body(obj("name", "stolen"))
                .post("/v1/profiles/" + id + "/clone")
                .then()
                .statusCode(404);
        admin(TENANT_B).delete("/v1/profiles/" + id).then().statusCode(404);
        viewer(TENANT_B)
                .get("/v1/profiles?name=isolated")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
        // the same name is another profile in another tenant
        create(TENANT_B, profile("isolated", "ADDON", list(pack("falco", "4.x"))));
        viewer(TENANT_A).get("/v1/profiles/" + id).then().statusCode(200).body("layers[0].name", equalTo("metallb"));
    }

    static Map<String, Object> helm(String registry, String chart, String version) {
        return obj("source", "HELM", "registry", registry, "name", chart, "version", version);
    }
}
