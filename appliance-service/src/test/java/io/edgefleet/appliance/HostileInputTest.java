package io.edgefleet.appliance;

import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Input meant to break the API: every problem of a request is listed in one 400 ({@code field} names the first), and
 * nothing a client sends gets a 5xx. A refused request changes nothing.
 */
@QuarkusTest
@TestInfrastructure
class HostileInputTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void everyBadQueryParameterIsListedAtOnce() {
        viewer(TENANT_A)
                .get("/v1/appliances?status=SLEEPING&kind=PHONE&tag=bad%20key&tag=-x:y&page=-1&size=abc")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("status"))
                .body("errors.field", equalTo(List.of("status", "kind", "tag", "tag", "page", "size")));
        viewer(TENANT_A)
                .get("/v1/registration-tokens?status=LOST&page=x&size=201")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("status", "page", "size")));
        viewer(TENANT_A)
                .get("/v1/appliances/bad%20uid/certificates?page=-1&size=0")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("uid"))
                .body("errors.field", equalTo(List.of("uid", "page", "size")));
    }

    @Test
    void aBadPathAndABadBodyAreListedTogether() {
        admin(TENANT_A)
                .body("""
                {"tags": {"-k": "v", "ok": "line\\nbreak"}}
                """)
                .put("/v1/appliances/bad%20uid/tags")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("uid"))
                .body("errors.field", equalTo(List.of("uid", "tags.-k", "tags.ok")));
        admin(TENANT_A)
                .put("/v1/appliances/bad%20uid/tags")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("uid", "body")));
    }

    @Test
    void aRefusedTagReplacementChangesNothing() {
        register(TENANT_A, "hostile-retag", """
                {"name":"kept"}""");
        admin(TENANT_A)
                .body("""
                {"tags": {"name": "changed", "-k": "v", "k": null}}
                """)
                .put("/v1/appliances/hostile-retag/tags")
                .then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("tags.-k", "tags.k"));
        viewer(TENANT_A)
                .get("/v1/appliances/hostile-retag")
                .then()
                .statusCode(200)
                .body("name", equalTo("kept"));
    }

    @Test
    void numbersOutOfRangeAre400NamingTheField() {
        for (String maxUses : List.of("99999999999999999999", "1e30", "-9223372036854775809", "1.5")) {
            admin(TENANT_A)
                    .body("""
                            {"maxUses": %s}""".formatted(maxUses))
                    .post("/v1/registration-tokens")
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("field", equalTo("maxUses"));
        }
        for (String expiresAt : List.of(
                "1e300",
                "-1e300",
                "99999999999999999999",
                "1767225600",
                "true",
                "{}",
                "\"+999999999-12-31T23:59:59Z\"",
                "\"2030-02-30T00:00:00Z\"",
                "\"tomorrow\"",
                "\"\"")) {
            admin(TENANT_A)
                    .body("""
                            {"expiresAt": %s}""".formatted(expiresAt))
                    .post("/v1/registration-tokens")
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("field", equalTo("expiresAt"));
        }
    }

    @Test
    void textThatIsNotUnicodeIs400() {
        // a lone surrogate is not a character: PostgreSQL and JSON writers cannot store it faithfully
        admin(TENANT_A)
                .body("""
                {"uid": "hostile-surrogate", "tags": {"k": "\\ud800"}}
                """)
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("tags.k"));
        viewer(TENANT_A).get("/v1/appliances/hostile-surrogate").then().statusCode(404);
        admin(TENANT_A)
                .body("""
                {"description": "half \\udc00 a pair"}
                """)
                .post("/v1/registration-tokens")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("description"));
        admin(TENANT_A)
                .body("""
                {"description": "nul \\u0000 byte"}
                """)
                .post("/v1/registration-tokens")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("description"));
        // a whole pair (an emoji) is text like any other
        admin(TENANT_A).body("""
                {"uid": "hostile-emoji", "tags": {"k": "\\ud83d\\ude00"}}
                """).post("/v1/appliances").then().statusCode(201).body("tags.k", equalTo("\uD83D\uDE00"));
    }

    @Test
    void deepNestingAndHugeValuesAre4xx() throws Exception {
        // (not through REST Assured: its request log pretty-prints the body, 5000 levels deep)
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        HttpResponse<String> nested = postRaw("/v1/appliances", """
                        {"uid": "hostile-deep", "tags": {"k": %s}}""".formatted(deep));
        assertEquals(400, nested.statusCode());
        assertEquals(PROBLEM, nested.headers().firstValue("Content-Type").orElse(""));
        nested = postRaw(
                "/v1/registration-tokens", "{\"tags\": " + "{\"a\": ".repeat(5_000) + "1" + "}".repeat(5_000) + "}");
        assertEquals(400, nested.statusCode());
        viewer(TENANT_A).get("/v1/appliances/hostile-deep").then().statusCode(404);
        admin(TENANT_A)
                .body("""
                        {"uid": "%s"}""".formatted("u".repeat(60_000)))
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("uid"));
        admin(TENANT_A)
                .body("""
                        {"uid": "hostile-many", "tags": {%s}}""".formatted(manyTags(3_000)))
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("tags"));
        viewer(TENANT_A).get("/v1/appliances/hostile-many").then().statusCode(404);
        viewer(TENANT_A)
                .get("/v1/appliances?tag=k:" + "v".repeat(3_000))
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
        viewer(TENANT_A)
                .get("/v1/appliances?page=99999999999999")
                .then()
                .statusCode(400)
                .body("field", equalTo("page"));
        viewer(TENANT_A)
                .get("/v1/appliances?page=1000000&size=200")
                .then()
                .statusCode(200)
                .body("items", equalTo(List.of()));
    }

    /** A JSON POST as tenant-admin of TENANT_A with the JDK's client. */
    private static HttpResponse<String> postRaw(String path, String json) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TestTokens.admin(TENANT_A))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String manyTags(int n) {
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":\"\"");
        }
        return json.toString();
    }

    @Test
    void oddPathIdsAre400Or404NeverServerErrors() {
        for (String id : List.of("%00", "%E2%82%AC", "..", "a%0Ab", "x".repeat(200), "%20", "a.b..", "%25")) {
            int status = viewer(TENANT_A)
                    .urlEncodingEnabled(false)
                    .get("/v1/appliances/" + id)
                    .then()
                    .contentType(PROBLEM)
                    .extract()
                    .statusCode();
            assertEquals(true, status == 400 || status == 404, id + " answered " + status);
            status = viewer(TENANT_A)
                    .urlEncodingEnabled(false)
                    .get("/v1/registration-tokens/" + id)
                    .then()
                    .contentType(PROBLEM)
                    .extract()
                    .statusCode();
            assertEquals(true, status == 400 || status == 404, id + " answered " + status);
            status = viewer(TENANT_A)
                    .urlEncodingEnabled(false)
                    .get("/v1/appliances/" + id + "/certificates")
                    .then()
                    .contentType(PROBLEM)
                    .extract()
                    .statusCode();
            assertEquals(true, status == 400 || status == 404, id + " answered " + status);
        }
        viewer(TENANT_A)
                .get("/v1/registration-tokens/00000000-0000-0000-0000-00000000000g")
                .then()
                .statusCode(400)
                .body("field", equalTo("id"));
        viewer(TENANT_A)
                .get("/v1/registration-tokens/00000000-0000-0000-0000-000000000000")
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void wrongMediaTypesAreProblems() {
        admin(TENANT_A)
                .contentType("application/xml")
                .body("<uid>x</uid>")
                .post("/v1/registration-tokens")
                .then()
                .statusCode(415)
                .contentType(PROBLEM);
        viewer(TENANT_A)
                .accept("text/csv")
                .get("/v1/appliances")
                .then()
                .statusCode(406)
                .contentType(PROBLEM);
        admin(TENANT_A)
                .contentType(ContentType.JSON)
                .body("null")
                .post("/v1/appliances")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("body"));
        admin(TENANT_A)
                .contentType(ContentType.JSON)
                .body("\"uid\"")
                .put("/v1/appliances/hostile-x/tags")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
    }

    @Test
    void anEnrolmentListsItsCsrProblemWithTheOthers() throws Exception {
        EdgeClient.Answer answer = EdgeClient.anonymous().post("/v1/enrollments", """
                {"token": "", "uid": "bad uid!", "csr": "not a certificate signing request"}
                """);
        assertEquals(400, answer.status());
        assertEquals(PROBLEM, answer.contentType());
        assertEquals("token", answer.text("field"));
        assertEquals(List.of("token", "uid", "csr"), answer.json().getList("errors.field"));
        EdgeClient.Answer noBody = EdgeClient.anonymous().post("/v1/enrollments", "null");
        assertEquals(400, noBody.status());
        assertEquals("body", noBody.text("field"));
        viewer(TENANT_A).get("/v1/appliances/bad uid!").then().statusCode(400);
    }

    @Test
    void theCaDocumentsComeAsTheDocumentSaysWhenAsked() {
        // what a client generated from the document asks for
        given().accept("application/x-pem-file, application/problem+json")
                .get("/v1/certificate-authority/ca.pem")
                .then()
                .statusCode(200)
                .contentType("application/x-pem-file")
                .body(startsWith("-----BEGIN CERTIFICATE-----"));
        given().accept("application/x-pem-file, application/problem+json")
                .get("/v1/certificate-authority/crl.pem")
                .then()
                .statusCode(200)
                .contentType("application/x-pem-file")
                .body(startsWith("-----BEGIN X509 CRL-----"));
        // without a preference: the PEM chain type, as before (docs/edge-link.md)
        given().get("/v1/certificate-authority/ca.pem")
                .then()
                .statusCode(200)
                .contentType("application/pem-certificate-chain")
                .body(startsWith("-----BEGIN CERTIFICATE-----"));
    }
}
