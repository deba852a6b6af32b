package io.edgefleet.appliance;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.appliance.tokens.TokenSecrets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration tokens: the secret shown once and stored only as a hash, validation, roles, tenants, states. */
@QuarkusTest
@TestInfrastructure
class RegistrationTokenApiTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String TOKENS = "/v1/registration-tokens";

    @Inject
    AgroalDataSource db;

    /** A token's id and secret. */
    record Made(String id, String secret) {}

    static Made create(String tenant, String body) {
        ExtractableResponse<Response> created =
                admin(tenant).body(body).post(TOKENS).then().statusCode(201).extract();
        return new Made(created.path("id"), created.path("token"));
    }

    @Test
    void theSecretIsShownOnceAndOnlyItsHashIsStored() throws SQLException {
        var created = admin(TENANT_A)
                .body("""
                {"description": "shop rollout", "maxUses": 5, "tags": {"site": "shops"}}
                """)
                .post(TOKENS)
                .then()
                .statusCode(201)
                .body("token", matchesPattern("eft_[A-Za-z0-9_-]{43}"))
                .body("description", equalTo("shop rollout"))
                .body("maxUses", equalTo(5))
                .body("uses", equalTo(0))
                .body("status", equalTo("ACTIVE"))
                .body("uid", nullValue())
                .body("tags.site", equalTo("shops"))
                .body("createdBy", equalTo("admin@" + TENANT_A))
                .extract();
        String id = created.path("id");
        String secret = created.path("token");
        assertTrue(created.header("Location").endsWith(TOKENS + "/" + id));
        // about 24 hours by default
        Instant expires = Instant.parse(created.path("expiresAt"));
        assertTrue(
                Duration.between(Instant.now(), expires).compareTo(Duration.ofHours(23)) > 0,
                "default lifetime: " + expires);
        assertTrue(
                Duration.between(Instant.now(), expires).compareTo(Duration.ofHours(25)) < 0,
                "default lifetime: " + expires);

        // never again
        viewer(TENANT_A)
                .get(TOKENS + "/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("$", not(hasKey("token")));
        viewer(TENANT_A)
                .get(TOKENS + "?size=200")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(id))
                .body("items[0]", not(hasKey("token")));

        try (var c = db.getConnection();
                var st = c.prepareStatement("select * from registration_token where id = ?::uuid")) {
            st.setString(1, id);
            try (var rs = st.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(TokenSecrets.hash(secret), rs.getString("token_hash"));
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String value = rs.getString(i);
                    assertFalse(
                            value != null && value.contains(secret.substring(4)),
                            "column " + rs.getMetaData().getColumnName(i) + " holds the secret");
                }
            }
        }
        // two tokens never share a secret
        assertFalse(create(TENANT_A, "{}").secret().equals(secret));
    }

    @Test
    void invalidRequestsAre400NamingEveryFieldAndMakeNothing() {
        int before = viewer(TENANT_A).get(TOKENS + "?size=1").then().extract().path("total");
        admin(TENANT_A)
                .body("""
                {
                  "expiresAt": "%s",
                  "maxUses": 0,
                  "uid": "bad uid",
                  "tags": {"bad key": "v"},
                  "description": "%s"
                }
                """.formatted(Instant.now().minusSeconds(60), "d".repeat(256)))
                .post(TOKENS)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("expiresAt"))
                .body("errors.field", hasItem("maxUses"))
                .body("errors.field", hasItem("uid"))
                .body("errors.field", hasItem("tags.bad key"))
                .body("errors.field", hasItem("description"));
        admin(TENANT_A)
                .body("""
                        {"expiresAt":"%s"}""".formatted(Instant.now().plus(Duration.ofDays(366))))
                .post(TOKENS)
                .then()
                .statusCode(400)
                .body("field", equalTo("expiresAt"))
                .body("detail", containsString("365 days"));
        admin(TENANT_A).body("""
                        {"maxUses":100001}""").post(TOKENS).then().statusCode(400).body("field", equalTo("maxUses"));
        admin(TENANT_A).body("""
                        {"expiresAt":"tomorrow"}""").post(TOKENS).then().statusCode(400).body("field", equalTo("expiresAt"));
        admin(TENANT_A).body("""
                        {"secret":"mine"}""").post(TOKENS).then().statusCode(400).body("field", equalTo("secret"));
        admin(TENANT_A).body("""
                        {"description":"line\\nbreak"}""").post(TOKENS).then().statusCode(400).body("field", equalTo("description"));
        viewer(TENANT_A).get(TOKENS + "?status=FRESH").then().statusCode(400).body("field", equalTo("status"));
        viewer(TENANT_A).get(TOKENS + "/not-a-uuid").then().statusCode(400).body("field", equalTo("id"));
        viewer(TENANT_A).get(TOKENS + "?size=1").then().body("total", equalTo(before));
    }

    @Test
    void anOffsetExpiryAndAFixedUidAreKept() {
        admin(TENANT_A).body("""
                        {"expiresAt":"2020-01-01T00:00:00+02:00"}""").post(TOKENS).then().statusCode(400);
        String at = OffsetDateTime.now().plusDays(30).withNano(0).toString();
        admin(TENANT_A)
                .body("""
                {"expiresAt": "%s", "uid": "tok-fixed-1"}
                """.formatted(at))
                .post(TOKENS)
                .then()
                .statusCode(201)
                .body("uid", equalTo("tok-fixed-1"))
                .body("expiresAt", equalTo(OffsetDateTime.parse(at).toInstant().toString()));
    }

    @Test
    void viewersReadButDoNotMakeOrRevoke() {
        Made made = create(TENANT_A, "{}");
        viewer(TENANT_A).body("{}").post(TOKENS).then().statusCode(403).contentType(PROBLEM);
        viewer(TENANT_A).delete(TOKENS + "/" + made.id()).then().statusCode(403);
        viewer(TENANT_A).get(TOKENS + "/" + made.id()).then().statusCode(200).body("status", equalTo("ACTIVE"));
        given().get(TOKENS).then().statusCode(401).contentType(PROBLEM);
        given().contentType("application/json").body("{}").post(TOKENS).then().statusCode(401);
    }

    @Test
    void anotherTenantsTokensDoNotExist() {
        Made made = create(TENANT_A, """
                {"description":"A's"}""");
        viewer(TENANT_B).get(TOKENS + "/" + made.id()).then().statusCode(404).contentType(PROBLEM);
        admin(TENANT_B).delete(TOKENS + "/" + made.id()).then().statusCode(404);
        viewer(TENANT_B).get(TOKENS + "?size=200").then().statusCode(200).body("items.id", not(hasItem(made.id())));
        viewer(TENANT_A).get(TOKENS + "/" + made.id()).then().statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @Test
    void revokingIsIdempotentAndListsFilterByStatus() throws SQLException {
        Made revoked = create(TENANT_B, """
                {"description":"filter"}""");
        Made active = create(TENANT_B, """
                {"description":"filter"}""");
        Made expired = create(TENANT_B, """
                {"description":"filter"}""");
        Made usedUp = create(TENANT_B, """
                {"description": "filter", "maxUses": 2}
                """);
        admin(TENANT_B).delete(TOKENS + "/" + revoked.id()).then().statusCode(204);
        admin(TENANT_B).delete(TOKENS + "/" + revoked.id()).then().statusCode(204);
        admin(TENANT_B)
                .delete(TOKENS + "/00000000-0000-0000-0000-000000000000")
                .then()
                .statusCode(404);
        try (var c = db.getConnection();
                var st = c.createStatement()) {
            st.executeUpdate("update registration_token set expires_at = now() - interval '1 minute' where id = '"
                    + expired.id() + "'");
            st.executeUpdate("update registration_token set uses = 2 where id = '" + usedUp.id() + "'");
        }
        viewer(TENANT_B)
                .get(TOKENS + "/" + revoked.id())
                .then()
                .body("status", equalTo("REVOKED"))
                .body("revokedAt", notNullValue());
        viewer(TENANT_B).get(TOKENS + "/" + expired.id()).then().body("status", equalTo("EXPIRED"));
        viewer(TENANT_B).get(TOKENS + "/" + usedUp.id()).then().body("status", equalTo("USED_UP"));
        viewer(TENANT_B).get(TOKENS + "/" + active.id()).then().body("status", equalTo("ACTIVE"));

        viewer(TENANT_B)
                .get(TOKENS + "?status=revoked&size=200")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(revoked.id()))
                .body("items.status", everyItem(equalTo("REVOKED")))
                .body("items.id", not(hasItem(active.id())));
        viewer(TENANT_B)
                .get(TOKENS + "?status=EXPIRED&size=200")
                .then()
                .body("items.id", hasItem(expired.id()))
                .body("items.status", everyItem(equalTo("EXPIRED")));
        viewer(TENANT_B)
                .get(TOKENS + "?status=USED_UP&size=200")
                .then()
                .body("items.id", hasItem(usedUp.id()))
                .body("items.status", everyItem(equalTo("USED_UP")));
        viewer(TENANT_B)
                .get(TOKENS + "?status=ACTIVE&size=200")
                .then()
                .body("items.id", hasItem(active.id()))
                .body("items.status", everyItem(equalTo("ACTIVE")))
                .body("items.id", not(hasItem(expired.id())));
        // pages, newest first
        viewer(TENANT_B)
                .get(TOKENS + "?size=2&page=0")
                .then()
                .body("items", hasSize(2))
                .body("items[0].id", equalTo(usedUp.id()))
                .body("items[1].id", equalTo(expired.id()))
                .body("size", equalTo(2));
        viewer(TENANT_B).get(TOKENS + "?size=2&page=1").then().body("items[0].id", equalTo(active.id()));
        viewer(TENANT_B).get(TOKENS + "?size=0").then().statusCode(400).body("field", equalTo("size"));
    }
}
