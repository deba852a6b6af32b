package io.edgefleet.appliance;

import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The REST API: validation and problem details, roles, tenant isolation, filters and paging. */
@QuarkusTest
@TestInfrastructure
class ApplianceApiTest {

    private static final String PROBLEM = "application/problem+json";

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static RequestSpecification admin(String tenant) {
        return as(TestTokens.admin(tenant));
    }

    static RequestSpecification viewer(String tenant) {
        return as(TestTokens.viewer(tenant));
    }

    static void register(String tenant, String uid, String tagsJson) {
        admin(tenant)
                .body("""
                {"uid": "%s", "tags": %s}
                """.formatted(uid, tagsJson))
                .post("/v1/appliances")
                .then()
                .statusCode(201);
    }

    @Test
    void registersAndReadsBackAnAppliance() {
        admin(TENANT_A)
                .body("""
                {"uid": "api-hospital-1", "tags": {"name": "Hospital 1", "region": "eu"}}
                """)
                .post("/v1/appliances")
                .then()
                .statusCode(201)
                .header("Location", containsString("/v1/appliances/api-hospital-1"))
                .body("uid", equalTo("api-hospital-1"))
                .body("name", equalTo("Hospital 1"))
                .body("status", equalTo("UNPAIRED"))
                .body("tags.region", equalTo("eu"))
                .body("kind", nullValue())
                .body("createdAt", notNullValue());

        viewer(TENANT_A)
                .get("/v1/appliances/api-hospital-1")
                .then()
                .statusCode(200)
                .body("status", equalTo("UNPAIRED"))
                .body("name", equalTo("Hospital 1"));
    }

    @Test
    void duplicateUidIsAConflictAndChangesNothing() {
        register(TENANT_A, "api-dup", """
                {"name":"first"}""");
        admin(TENANT_A)
                .body("""
                {"uid": "api-dup", "tags": {"name": "second"}}
                """)
                .post("/v1/appliances")
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("status", equalTo(409))
                .body("field", equalTo("uid"))
                .body("detail", containsString("already registered"));
        viewer(TENANT_A).get("/v1/appliances/api-dup").then().body("name", equalTo("first"));
        // the same uid in another tenant is another appliance
        register(TENANT_B, "api-dup", "{}");
    }

    @Test
    void invalidInputIsA400NamingTheField() {
        admin(TENANT_A)
                .body("""
                        {"uid":"bad uid!"}""")
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("uid"))
                .body("title", equalTo("Invalid request"));
        admin(TENANT_A)
                .body("""
                        {"uid":"%s"}""".formatted("x".repeat(65)))
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .body("field", equalTo("uid"))
                .body("detail", containsString("1 to 64"));
        admin(TENANT_A)
                .body("""
                        {"tags":{}}""")
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .body("field", equalTo("uid"))
                .body("detail", containsString("required"));
        admin(TENANT_A).body("""
                {"uid": "api-tags", "tags": {"bad key": "v"}}
                """).post("/v1/appliances").then().statusCode(400).body("field", equalTo("tags.bad key"));
        admin(TENANT_A)
                .body("""
                {"uid": "api-tags", "tags": {"k": "%s"}}
                """.formatted("v".repeat(256)))
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .body("field", equalTo("tags.k"));
        admin(TENANT_A).body("""
                {"uid": "api-tags", "tags": {"k": "line\\nbreak"}}
                """).post("/v1/appliances").then().statusCode(400).body("field", equalTo("tags.k"));
        // several problems at once are all listed
        admin(TENANT_A)
                .body("""
                {"uid": "-x", "tags": {"-k": "v"}}
                """)
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("uid"))
                .body("errors.field", hasItem("tags.-k"));
        viewer(TENANT_A).get("/v1/appliances/api-tags").then().statusCode(404);
    }

    @Test
    void malformedBodiesAre400Not500() {
        admin(TENANT_A)
                .body("{\"uid\": ") // cut off mid-document: kept as the exact bytes
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("body"));
        admin(TENANT_A)
                .body("""
                        {"uid":"api-unknown","colour":"red"}""")
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("colour"));
        admin(TENANT_A)
                .body("""
                        {"uid":[1,2]}""")
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("uid"));
        admin(TENANT_A)
                .body("""
                        {"uid":"api-x","tags":["a"]}""")
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("tags"));
        admin(TENANT_A).body("[]").post("/v1/appliances").then().statusCode(400).contentType(PROBLEM);
        // strict types: a number or a boolean is not turned into a string
        admin(TENANT_A)
                .body("""
                        {"uid":12345}""")
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("uid"));
        admin(TENANT_A)
                .body("""
                        {"uid":"api-typed","tags":{"name":true}}""")
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("tags.name"));
        viewer(TENANT_A).get("/v1/appliances/12345").then().statusCode(404);
        viewer(TENANT_A).get("/v1/appliances/api-typed").then().statusCode(404);
        admin(TENANT_A)
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("body"));
        admin(TENANT_A)
                .contentType(ContentType.TEXT)
                .body("uid=x")
                .post("/v1/appliances")
                .then()
                .statusCode(415)
                .contentType(PROBLEM);
        viewer(TENANT_A).get("/v1/appliances/api-unknown").then().statusCode(404);
    }

    @Test
    void oversizeBodiesAreRefusedBeforeReading() {
        String huge = """
                {"uid":"api-huge","tags":{"k":"%s"}}""".formatted("v".repeat(70_000));
        admin(TENANT_A)
                .body(huge)
                .post("/v1/appliances")
                .then()
                .statusCode(413)
                .contentType(PROBLEM)
                .body("field", equalTo("body"));
        viewer(TENANT_A).get("/v1/appliances/api-huge").then().statusCode(404);
    }

    @Test
    void badQueryParametersAre400() {
        viewer(TENANT_A)
                .get("/v1/appliances?status=SLEEPING")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("status"));
        viewer(TENANT_A).get("/v1/appliances?kind=PHONE").then().statusCode(400).body("field", equalTo("kind"));
        viewer(TENANT_A).get("/v1/appliances?page=-1").then().statusCode(400).body("field", equalTo("page"));
        viewer(TENANT_A).get("/v1/appliances?size=0").then().statusCode(400).body("field", equalTo("size"));
        viewer(TENANT_A).get("/v1/appliances?size=abc").then().statusCode(400).body("field", equalTo("size"));
        viewer(TENANT_A)
                .get("/v1/appliances?tag=bad%20key:x")
                .then()
                .statusCode(400)
                .body("field", equalTo("tag"));
        viewer(TENANT_A).get("/v1/appliances/bad%20uid").then().statusCode(400).body("field", equalTo("uid"));
    }

    @Test
    void everyEndpointNeedsAToken() {
        given().get("/v1/appliances")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer"));
        given().contentType(ContentType.JSON)
                .body("""
                        {"uid":"api-anon"}""")
                .post("/v1/appliances")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2("not-a-token")
                .get("/v1/appliances")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        given().delete("/v1/appliances/api-anon").then().statusCode(401);
    }

    @Test
    void viewersReadButDoNotWrite() {
        register(TENANT_A, "api-roles", """
                {"name":"roles"}""");
        viewer(TENANT_A).body("""
                        {"uid":"api-roles-2"}""").post("/v1/appliances").then().statusCode(403).contentType(PROBLEM);
        viewer(TENANT_A).body("""
                        {"tags":{}}""").put("/v1/appliances/api-roles/tags").then().statusCode(403);
        viewer(TENANT_A).delete("/v1/appliances/api-roles").then().statusCode(403);
        viewer(TENANT_A).get("/v1/appliances/api-roles").then().statusCode(200);
        // a gateway credential is not a user role
        as(TestTokens.gateway(TENANT_A)).get("/v1/appliances").then().statusCode(403);
        // a token without a tenant sees nothing
        as(TestTokens.token("no-tenant", null, "tenant-admin"))
                .get("/v1/appliances")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("detail", containsString("tenant"));
    }

    @Test
    void tenantsNeverSeeEachOther() {
        register(TENANT_A, "api-iso-a", """
                {"name":"A's"}""");
        viewer(TENANT_B).get("/v1/appliances/api-iso-a").then().statusCode(404).contentType(PROBLEM);
        admin(TENANT_B).body("""
                {"tags": {"name": "stolen"}}
                """).put("/v1/appliances/api-iso-a/tags").then().statusCode(404);
        admin(TENANT_B).delete("/v1/appliances/api-iso-a").then().statusCode(404);
        viewer(TENANT_B)
                .get("/v1/appliances?size=200")
                .then()
                .statusCode(200)
                .body("items.uid", not(hasItem("api-iso-a")));
        viewer(TENANT_A).get("/v1/appliances/api-iso-a").then().statusCode(200).body("name", equalTo("A's"));
    }

    @Test
    void listsWithFiltersAndPages() {
        for (int i = 0; i < 5; i++) {
            register(TENANT_A, "api-list-" + i, """
                    {"site": "list", "row": "%s"}
                    """.formatted(i % 2 == 0 ? "even" : "odd"));
        }
        viewer(TENANT_A)
                .get("/v1/appliances?tag=site:list&size=2&page=0")
                .then()
                .statusCode(200)
                .body("total", equalTo(5))
                .body("items", hasSize(2))
                .body("items[0].uid", equalTo("api-list-0"))
                .body("items[1].uid", equalTo("api-list-1"));
        viewer(TENANT_A)
                .get("/v1/appliances?tag=site:list&size=2&page=2")
                .then()
                .body("items", hasSize(1))
                .body("items[0].uid", equalTo("api-list-4"));
        viewer(TENANT_A)
                .get("/v1/appliances?tag=site:list&tag=row:even")
                .then()
                .body("total", equalTo(3))
                .body("items.tags.row", everyItem(equalTo("even")));
        viewer(TENANT_A)
                .get("/v1/appliances?tag=row&status=unpaired&tag=site:list")
                .then()
                .body("total", equalTo(5));
        viewer(TENANT_A).get("/v1/appliances?tag=site:list&status=READY").then().body("total", equalTo(0));
        viewer(TENANT_A).get("/v1/appliances?tag=site:list&kind=VM").then().body("total", equalTo(0));
    }

    @Test
    void replacesTags() {
        register(TENANT_A, "api-retag", """
                {"name": "old", "a": "1"}
                """);
        admin(TENANT_A)
                .body("""
                {"tags": {"name": "new"}}
                """)
                .put("/v1/appliances/api-retag/tags")
                .then()
                .statusCode(200)
                .body("name", equalTo("new"))
                .body("tags.a", nullValue());
        admin(TENANT_A)
                .body("{}")
                .put("/v1/appliances/api-retag/tags")
                .then()
                .statusCode(400)
                .body("field", equalTo("tags"));
        admin(TENANT_A).body("""
                        {"tags":{}}""").put("/v1/appliances/nope/tags").then().statusCode(404);
    }

    @Test
    void deleteRemovesTheAppliance() {
        register(TENANT_A, "api-free", "{}");
        // as the generated SDK asks: an operation whose only bodies are problems accepts only problems
        admin(TENANT_A).accept(PROBLEM).delete("/v1/appliances/api-free").then().statusCode(204);
        viewer(TENANT_A).get("/v1/appliances/api-free").then().statusCode(404);
        admin(TENANT_A)
                .accept(PROBLEM)
                .delete("/v1/appliances/api-free")
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void unknownPathsAreProblems() {
        viewer(TENANT_A).get("/v1/nothing-here").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void healthAndOpenApi() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", notNullValue());
    }
}
