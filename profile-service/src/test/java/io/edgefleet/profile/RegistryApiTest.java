package io.edgefleet.profile;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.edgefleet.profile.Api.PROBLEM;
import static io.edgefleet.profile.Api.admin;
import static io.edgefleet.profile.Api.create;
import static io.edgefleet.profile.Api.list;
import static io.edgefleet.profile.Api.obj;
import static io.edgefleet.profile.Api.profile;
import static io.edgefleet.profile.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

/** Registries over REST: validation, the read-only built-in registry, publishing to LOCAL registries, roles, tenants. */
@QuarkusTest
@TestInfrastructure
class RegistryApiTest {

    @Test
    void theBuiltInRegistryIsListedForEveryTenantAndReadOnly() {
        for (String tenant : List.of(TENANT_A, TENANT_B)) {
            viewer(tenant)
                    .get("/v1/registries")
                    .then()
                    .statusCode(200)
                    .body("page", equalTo(0))
                    .body("size", equalTo(50))
                    .body("total", greaterThan(0))
                    .body("items[0].id", equalTo("builtin"))
                    .body("items[0].name", equalTo("edgefleet"))
                    .body("items[0].kind", equalTo("BUILTIN"))
                    .body("items[0].builtIn", equalTo(true))
                    .body("items[0].packs", equalTo(10))
                    .body("items[0].versions", greaterThan(35));
        }
        admin(TENANT_A)
                .delete("/v1/registries/builtin")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("detail", containsString("read-only"));
        admin(TENANT_A).post("/v1/registries/builtin/sync").then().statusCode(403);
        admin(TENANT_A)
                .body(obj("name", "x", "layer", "ADDON", "version", "1.0.0"))
                .post("/v1/registries/builtin/packs")
                .then()
                .statusCode(403);
    }

    @Test
    void registryRequestsAreValidated() throws Exception {
        admin(TENANT_A)
                .body(obj("name", "bad name", "kind", "GIT", "url", "ftp://example.com/x"))
                .post("/v1/registries")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItems("name", "kind"));
        admin(TENANT_A)
                .body(obj("name", "r1", "kind", "HELM"))
                .post("/v1/registries")
                .then()
                .statusCode(400)
                .body("field", equalTo("url"));
        admin(TENANT_A)
                .body(obj("name", "r1", "kind", "HELM", "url", "ftp://example.com/x"))
                .post("/v1/registries")
                .then()
                .statusCode(400)
                .body("field", equalTo("url"))
                .body("detail", containsString("http:// or https://"));
        admin(TENANT_A)
                .body(obj("name", "r1", "kind", "HELM", "url", "https://user:secret@charts.example.com"))
                .post("/v1/registries")
                .then()
                .statusCode(400)
                .body("detail", containsString("credentials"));
        admin(TENANT_A)
                .body(obj("name", "r1", "kind", "PACK", "url", "http://169.254.169.254/latest/meta-data"))
                .post("/v1/registries")
                .then()
                .statusCode(400)
                .body("field", equalTo("url"))
                .body("detail", containsString("link-local"));
        admin(TENANT_A)
                .body(obj("name", "r1", "kind", "LOCAL", "url", "https://charts.example.com"))
                .post("/v1/registries")
                .then()
                .statusCode(400)
                .body("field", equalTo("url"));
        admin(TENANT_A)
                .body(obj("name", "r1", "kind", "BUILTIN"))
                .post("/v1/registries")
                .then()
                .statusCode(400)
                .body("field", equalTo("kind"));
        admin(TENANT_A)
                .body(obj("name", "edgefleet", "kind", "LOCAL"))
                .post("/v1/registries")
                .then()
                .statusCode(400)
                .body("detail", containsString("reserved"));
        admin(TENANT_A)
                .body(obj("name", "r1", "kind", "LOCAL", "colour", "red"))
                .post("/v1/registries")
                .then()
                .statusCode(400)
                .body("field", equalTo("colour"));

        // registries created here point at a closed local port: the scheduler's sync fails fast, no internet involved
        admin(TENANT_A)
                .body(obj("name", "dup-registry", "kind", "HELM", "url", RegistryServer.unreachableUrl()))
                .post("/v1/registries")
                .then()
                .statusCode(201)
                .header("Location", containsString("/v1/registries/"))
                .body("lastSyncAt", equalTo(null))
                .body("builtIn", equalTo(false));
        admin(TENANT_A)
                .body(obj("name", "dup-registry", "kind", "LOCAL"))
                .post("/v1/registries")
                .then()
                .statusCode(409)
                .body("field", equalTo("name"));
        admin(TENANT_B)
                .body(obj("name", "dup-registry", "kind", "LOCAL"))
                .post("/v1/registries")
                .then()
                .statusCode(201);

        viewer(TENANT_A).get("/v1/registries/not-an-id").then().statusCode(400).body("field", equalTo("id"));
        viewer(TENANT_A)
                .get("/v1/registries/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void publishedVersionsAreValidatedAndImmutable() throws Exception {
        String local = admin(TENANT_A)
                .body(obj("name", "publishing", "kind", "LOCAL"))
                .post("/v1/registries")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        admin(TENANT_A)
                .body(obj(
                        "name",
                        "Bad Name",
                        "layer",
                        "FIRMWARE",
                        "version",
                        "1.0",
                        "defaults",
                        "a: [",
                        "presets",
                        list(obj("name", "x", "values", "- list"), obj("name", "x"))))
                .post("/v1/registries/" + local + "/packs")
                .then()
                .statusCode(400)
                .body(
                        "errors.field",
                        hasItems("name", "layer", "version", "defaults", "presets[0].values", "presets[1].name"));
        admin(TENANT_A)
                .body(obj("name", "logger", "layer", "NETWORK", "addonType", "monitoring", "version", "1.0.0"))
                .post("/v1/registries/" + local + "/packs")
                .then()
                .statusCode(400)
                .body("field", equalTo("addonType"));
        admin(TENANT_A)
                .body(obj("name", "logger", "layer", "ADDON", "version", "1.0.0", "defaults", "level: info\n"))
                .post("/v1/registries/" + local + "/packs")
                .then()
                .statusCode(201)
                .header("Location", containsString("/v1/packs/" + local + "/logger/versions/1.0.0"))
                .body("registry", equalTo(local))
                .body("defaults", equalTo("level: info\n"));
        admin(TENANT_A)
                .body(obj("name", "logger", "layer", "ADDON", "version", "1.0.0"))
                .post("/v1/registries/" + local + "/packs")
                .then()
                .statusCode(409)
                .body("detail", containsString("immutable"));
        admin(TENANT_A)
                .body(obj("name", "logger", "layer", "STORAGE", "version", "1.1.0"))
                .post("/v1/registries/" + local + "/packs")
                .then()
                .statusCode(409)
                .body("field", equalTo("layer"));

        String remote = admin(TENANT_A)
                .body(obj("name", "remote-packs", "kind", "PACK", "url", RegistryServer.unreachableUrl()))
                .post("/v1/registries")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        admin(TENANT_A)
                .body(obj("name", "logger", "layer", "ADDON", "version", "1.0.0"))
                .post("/v1/registries/" + remote + "/packs")
                .then()
                .statusCode(409)
                .body("detail", containsString("only LOCAL registries"));
        admin(TENANT_A)
                .post("/v1/registries/" + local + "/sync")
                .then()
                .statusCode(409)
                .body("detail", containsString("no index"));
    }

    @Test
    void aRegistryInUseCannotBeDeleted() {
        String local = admin(TENANT_A)
                .body(obj("name", "in-use", "kind", "LOCAL"))
                .post("/v1/registries")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        admin(TENANT_A)
                .body(obj("name", "used-pack", "layer", "ADDON", "version", "1.0.0"))
                .post("/v1/registries/" + local + "/packs")
                .then()
                .statusCode(201);
        String p = create(
                TENANT_A,
                profile("uses-registry", "ADDON", list(obj("registry", local, "name", "used-pack", "version", "1.x"))));
        admin(TENANT_A)
                .delete("/v1/registries/" + local)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("detail", containsString("uses-registry 1.0.0"));
        admin(TENANT_A).delete("/v1/profiles/" + p).then().statusCode(204);
        admin(TENANT_A).delete("/v1/registries/" + local).then().statusCode(204);
        viewer(TENANT_A).get("/v1/registries/" + local).then().statusCode(404);
        viewer(TENANT_A).get("/v1/packs/" + local + "/used-pack").then().statusCode(404);
    }

    @Test
    void registriesAreListedInPagesBuiltInFirstThenByName() {
        String tenant = "tenant-pages";
        for (String name : List.of("zeta", "alpha", "mid")) {
            admin(tenant)
                    .body(obj("name", name, "kind", "LOCAL"))
                    .post("/v1/registries")
                    .then()
                    .statusCode(201);
        }
        viewer(tenant)
                .get("/v1/registries?page=0&size=2")
                .then()
                .statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(2))
                .body("total", equalTo(4))
                .body("items.name", contains("edgefleet", "alpha"));
        viewer(tenant)
                .get("/v1/registries?page=1&size=2")
                .then()
                .statusCode(200)
                .body("total", equalTo(4))
                .body("items.name", contains("mid", "zeta"));
        viewer(tenant)
                .get("/v1/registries?page=2&size=2")
                .then()
                .statusCode(200)
                .body("items", empty())
                .body("total", equalTo(4));
        viewer(tenant)
                .get("/v1/registries?page=-1&size=0")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("page"))
                .body("errors.field", contains("page", "size"));
        viewer(tenant).get("/v1/registries?size=x").then().statusCode(400).body("field", equalTo("size"));
    }

    @Test
    void aPublishListsEveryProblemOfIdAndBodyAtOnce() {
        admin(TENANT_A)
                .body("""
                {"name": "Bad Name", "layer": "CACHE", "version": "one"}
                """)
                .post("/v1/registries/not-an-id/packs")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("id"))
                .body("errors.field", hasItems("id", "name", "layer", "version"));
        admin(TENANT_A)
                .post("/v1/registries/not-an-id/packs")
                .then()
                .statusCode(400)
                .body("errors.field", contains("id", "body"));
        admin(TENANT_A).post("/v1/registries").then().statusCode(400).body("field", equalTo("body"));
    }

    @Test
    void registriesBelongToTheirTenant() {
        String mine = admin(TENANT_A)
                .body(obj("name", "private-a", "kind", "LOCAL"))
                .post("/v1/registries")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        admin(TENANT_A)
                .body(obj("name", "secret-pack", "layer", "ADDON", "version", "1.0.0"))
                .post("/v1/registries/" + mine + "/packs")
                .then()
                .statusCode(201);
        viewer(TENANT_B).get("/v1/registries/" + mine).then().statusCode(404);
        viewer(TENANT_B).get("/v1/registries?size=200").then().body("items.id", not(hasItem(mine)));
        admin(TENANT_B).delete("/v1/registries/" + mine).then().statusCode(404);
        admin(TENANT_B).post("/v1/registries/" + mine + "/sync").then().statusCode(404);
        admin(TENANT_B)
                .body(obj("name", "intruder", "layer", "ADDON", "version", "9.0.0"))
                .post("/v1/registries/" + mine + "/packs")
                .then()
                .statusCode(404);
        viewer(TENANT_B).get("/v1/packs?name=secret-pack").then().body("total", equalTo(0));
        viewer(TENANT_B).get("/v1/packs/" + mine + "/secret-pack").then().statusCode(404);
        viewer(TENANT_B)
                .get("/v1/packs?registry=" + mine)
                .then()
                .statusCode(400)
                .body("field", equalTo("registry"));
        viewer(TENANT_A).get("/v1/packs?name=secret-pack").then().body("total", equalTo(1));
    }

    @Test
    void viewersCannotChangeRegistries() {
        String id = admin(TENANT_A)
                .body(obj("name", "viewer-test", "kind", "LOCAL"))
                .post("/v1/registries")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        viewer(TENANT_A)
                .body(obj("name", "viewer-made", "kind", "LOCAL"))
                .post("/v1/registries")
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        viewer(TENANT_A).post("/v1/registries/" + id + "/sync").then().statusCode(403);
        viewer(TENANT_A)
                .body(obj("name", "p", "layer", "ADDON", "version", "1.0.0"))
                .post("/v1/registries/" + id + "/packs")
                .then()
                .statusCode(403);
        viewer(TENANT_A).delete("/v1/registries/" + id).then().statusCode(403);
        viewer(TENANT_A).get("/v1/registries/" + id).then().statusCode(200).body("kind", equalTo("LOCAL"));
    }
}
