package io.edgefleet.profile;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.edgefleet.profile.Api.PROBLEM;
import static io.edgefleet.profile.Api.admin;
import static io.edgefleet.profile.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Input meant to break the service: every answer is a 4xx problem, never a 5xx. */
@QuarkusTest
@TestInfrastructure
class HostileInputTest {

    private final List<String> failures = new ArrayList<>();

    private void expect400(String what, Supplier<Response> request) {
        Response r = request.get();
        if (r.statusCode() != 400 || !r.contentType().startsWith(PROBLEM)) {
            failures.add(what + ": " + r.statusCode() + " " + r.asString());
        }
    }

    private String localRegistry(String name) {
        return admin(TENANT_A)
                .body("""
                        {"name": "%s", "kind": "LOCAL"}""".formatted(name))
                .post("/v1/registries")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void nulCharactersAreRefusedNotStored() {
        String local = localRegistry("hostile-nul");
        expect400("displayName with NUL", () -> admin(TENANT_A).body("""
                {"name": "nul-display", "layer": "ADDON", "version": "1.0.0", "displayName": "a\\u0000b"}
                """).post("/v1/registries/" + local + "/packs"));
        expect400("preset label with NUL", () -> admin(TENANT_A).body("""
                {"name": "nul-label", "layer": "ADDON", "version": "1.0.0",
                 "presets": [{"name": "p", "label": "a\\u0000b", "values": "x: 1"}]}
                """).post("/v1/registries/" + local + "/packs"));
        expect400("addonType with NUL", () -> admin(TENANT_A).body("""
                {"name": "nul-addon", "layer": "ADDON", "version": "1.0.0", "addonType": "a\\u0000"}
                """).post("/v1/registries/" + local + "/packs"));
        expect400("defaults with NUL", () -> admin(TENANT_A).body("""
                {"name": "nul-defaults", "layer": "ADDON", "version": "1.0.0", "defaults": "x: \\"a\\u0000\\""}
                """).post("/v1/registries/" + local + "/packs"));
        expect400("registry url with NUL", () -> admin(TENANT_A).body("""
                {"name": "nul-url", "kind": "HELM", "url": "https://charts.example.com/\\u0000"}
                """).post("/v1/registries"));
        expect400(
                "profile description with NUL", () -> admin(TENANT_A).body("""
                {"name": "nul-profile", "type": "ADDON", "description": "a\\u0000", "layers": []}
                """).post("/v1/profiles"));
        expect400("tag key with NUL", () -> admin(TENANT_A).body("""
                {"name": "nul-tag", "type": "ADDON", "tags": {"a\\u0000": "b"}, "layers": []}
                """).post("/v1/profiles"));
        expect400("manifest content with NUL", () -> admin(TENANT_A).body("""
                {"name": "nul-manifest", "type": "ADDON", "layers": [{"source": "MANIFEST", "name": "m",
                 "manifests": [{"name": "m", "content": "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: \\"a\\u0000\\"\\n"}]}]}
                """).post("/v1/profiles"));
        expect400("search name with NUL", () -> viewer(TENANT_A).get("/v1/packs?name=a%00"));
        expect400("profile id with NUL", () -> viewer(TENANT_A).get("/v1/profiles/a%00b"));
        assertEquals(List.of(), failures);
    }

    @Test
    void oddShapesAndSizesAre400() {
        String local = localRegistry("hostile-shapes");
        expect400("body is an array", () -> admin(TENANT_A).body("[]").post("/v1/profiles"));
        expect400("body is a string", () -> admin(TENANT_A).body("\"x\"").post("/v1/registries"));
        expect400("body is null", () -> admin(TENANT_A).body("null").post("/v1/profiles"));
        expect400("layers is an object", () -> admin(TENANT_A).body("""
                {"name": "shape", "type": "ADDON", "layers": {"a": 1}}
                """).post("/v1/profiles"));
        expect400("tags value is a number", () -> admin(TENANT_A).body("""
                {"name": "shape", "type": "ADDON", "tags": {"a": 1}, "layers": []}
                """).post("/v1/profiles"));
        expect400("tags value is null", () -> admin(TENANT_A).body("""
                {"name": "shape", "type": "ADDON", "tags": {"a": null}, "layers": []}
                """).post("/v1/profiles"));
        expect400("presets holds null", () -> admin(TENANT_A).body("""
                {"name": "shape", "type": "ADDON", "layers": [{"name": "metallb", "version": "0.14.x", "presets": [null]}]}
                """).post("/v1/profiles"));
        expect400("manifests holds null", () -> admin(TENANT_A).body("""
                {"name": "shape", "type": "ADDON", "layers": [{"source": "MANIFEST", "name": "m", "manifests": [null]}]}
                """).post("/v1/profiles"));
        expect400(
                "publish presets holds null",
                () -> admin(TENANT_A).body("""
                {"name": "shape", "layer": "ADDON", "version": "1.0.0", "presets": [null]}
                """).post("/v1/registries/" + local + "/packs"));
        expect400(
                "deep JSON",
                () -> admin(TENANT_A)
                        .body("""
                                {"name": %s}""".formatted("[".repeat(1200) + "]".repeat(1200)))
                        .post("/v1/profiles"));
        expect400(
                "deep YAML values",
                () -> admin(TENANT_A)
                        .body("""
                {"name": "shape", "type": "ADDON", "layers": [{"name": "metallb", "version": "0.14.x", "values": "%s"}]}
                """.formatted("a: ".repeat(200) + "1"))
                        .post("/v1/profiles"));
        expect400("huge version numbers", () -> admin(TENANT_A).body("""
                {"name": "shape", "type": "ADDON", "layers": [{"name": "metallb", "version": "99999999999999999999.x"}]}
                """).post("/v1/profiles"));
        expect400("huge published version", () -> admin(TENANT_A).body("""
                {"name": "shape", "layer": "ADDON", "version": "99999999999.0.0"}
                """).post("/v1/registries/" + local + "/packs"));
        expect400(
                "long published version",
                () -> admin(TENANT_A).body("""
                {"name": "shape", "layer": "ADDON", "version": "1.0.0-%s"}
                """.formatted("a".repeat(100))).post("/v1/registries/" + local + "/packs"));
        expect400("huge page", () -> viewer(TENANT_A).get("/v1/profiles?page=99999999999"));
        expect400("numeric enum", () -> admin(TENANT_A).body("""
                {"name": "shape", "type": 1, "layers": []}
                """).post("/v1/profiles"));
        expect400("unknown enum", () -> admin(TENANT_A).body("""
                {"name": "shape", "kind": "GIT"}
                """).post("/v1/registries"));
        expect400("long id", () -> viewer(TENANT_A).get("/v1/registries/" + "a".repeat(2000)));
        expect400("long pack name", () -> viewer(TENANT_A).get("/v1/packs/builtin/" + "a".repeat(2000)));
        assertEquals(List.of(), failures);
    }

    /** A tenant's registry is input too: NUL characters (YAML's "\\0") in an index's free text are not stored. */
    @Test
    void nulCharactersInARegistryIndexNeitherBreakTheSyncNorAreStored() throws IOException {
        try (RegistryServer server = new RegistryServer()) {
            server.serve("/charts/index.yaml", """
                    apiVersion: v1
                    entries:
                      nul-chart:
                      - name: nul-chart
                        version: 1.0.0
                        appVersion: "1.0\\0"
                        description: "a\\0b"
                        digest: "d\\0"
                        urls: ["https://charts.example.com/nul-chart-1.0.0.tgz\\0"]
                        created: "2024-05-01T10:00:00Z"
                    """);
            String id = admin(TENANT_A)
                    .body("""
                            {"name": "nul-index", "kind": "HELM", "url": "%s"}""".formatted(server.url("/charts")))
                    .post("/v1/registries")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            admin(TENANT_A)
                    .post("/v1/registries/" + id + "/sync")
                    .then()
                    .statusCode(200)
                    .body("registry.versions", equalTo(1));
            viewer(TENANT_A)
                    .get("/v1/packs/" + id + "/nul-chart/versions/1.0.0")
                    .then()
                    .statusCode(200)
                    .body("description", equalTo("ab"))
                    .body("appVersion", equalTo("1.0"))
                    .body("digest", equalTo("d"))
                    .body("urls[0]", equalTo("https://charts.example.com/nul-chart-1.0.0.tgz"));
        }
    }

    @Test
    void aWrongContentTypeIsAProblem() {
        Response r = admin(TENANT_A).contentType("text/plain").body("name=x").post("/v1/profiles");
        assertEquals(415, r.statusCode(), r.asString());
        assertEquals(PROBLEM, r.contentType().split(";")[0]);
    }
}
