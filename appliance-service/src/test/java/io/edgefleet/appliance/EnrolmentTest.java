package io.edgefleet.appliance;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.EdgeIdentity;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TestPublisher;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.appliance.PairingTest.about;
import static io.edgefleet.appliance.PairingTest.types;
import static io.edgefleet.appliance.RegistrationTokenApiTest.create;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Enrolment over the edge HTTPS port: the happy paths, and every way a token or CSR is refused without a trace. */
@QuarkusTest
@TestInfrastructure
class EnrolmentTest {

    static final String ENROL = "/v1/enrollments";
    private static final String PROBLEM = "application/problem+json";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    static EdgeClient.Answer enrol(String token, String uid, String csr) throws IOException {
        return EdgeClient.anonymous().post(ENROL, Csrs.enrolment(token, uid, csr));
    }

    /** Enrols {@code uid} with a fresh key; returns the answer (201 asserted) and the key. */
    static Enrolled enrolled(String token, String uid) throws IOException {
        KeyPair keys = Csrs.ec();
        EdgeClient.Answer answer = enrol(token, uid, Csrs.csr(keys));
        assertEquals(201, answer.status(), answer.body());
        return new Enrolled(answer, keys, EdgeClient.certificate(answer.text("certificate")));
    }

    record Enrolled(EdgeClient.Answer answer, KeyPair keys, X509Certificate certificate) {
        String serial() {
            return answer.text("serial");
        }
    }

    @Test
    void anUnknownUidIsRegisteredAndGetsItsCertificate() throws Exception {
        var token = create(TENANT_A, """
                {"maxUses": 3, "tags": {"site": "enrolled", "name": "Shop 7"}}
                """);
        Enrolled enrolled = enrolled(token.secret(), "enr-new-1");
        EdgeClient.Answer answer = enrolled.answer();
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        assertEquals(TENANT_A, answer.text("tenant"));
        assertEquals("enr-new-1", answer.text("uid"));
        assertEquals(EdgeLinkTestResource.broker().deviceUrl(), answer.text("mqttUrl"));
        assertEquals(EdgeTopics.commands(TENANT_A, "enr-new-1"), answer.text("commandsTopic"));
        assertEquals("edgefleet/tenant-a/enr-new-1/reports", answer.text("reportsTopic"));

        // the certificate: our CA, CN=<tenant>/<uid>, a client certificate for this key only
        X509Certificate cert = enrolled.certificate();
        X509Certificate ca = EdgeLinkTestResource.pki().edgeCa().certificate();
        cert.verify(ca.getPublicKey());
        assertEquals(ca.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals("CN=tenant-a/enr-new-1", cert.getSubjectX500Principal().getName());
        assertEquals(enrolled.keys().getPublic(), cert.getPublicKey());
        assertEquals(-1, cert.getBasicConstraints(), "CA:false");
        assertTrue(cert.getKeyUsage()[0], "digitalSignature");
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage(), "clientAuth only");
        assertTrue(cert.getNonCriticalExtensionOIDs().contains("2.5.29.35"), "authority key identifier");
        assertTrue(cert.getNonCriticalExtensionOIDs().contains("2.5.29.14"), "subject key identifier");
        assertTrue(
                cert.getSerialNumber().signum() > 0 && cert.getSerialNumber().bitLength() >= 64,
                "random positive serial");
        assertEquals(cert.getSerialNumber(), new BigInteger(answer.text("serial"), 16));
        Instant now = Instant.now();
        assertTrue(cert.getNotBefore().toInstant().isBefore(now.minusSeconds(60)), "backdated: " + cert.getNotBefore());
        Duration life = Duration.between(
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
        assertTrue(
                life.compareTo(Duration.ofDays(90)) >= 0
                        && life.compareTo(Duration.ofDays(90).plusMinutes(10)) < 0,
                "life " + life);
        assertEquals(cert.getNotAfter().toInstant(), Instant.parse(answer.text("notAfter")));
        Instant renewAfter = Instant.parse(answer.text("renewAfter"));
        assertEquals(cert.getNotBefore().toInstant().plus(life.multipliedBy(2).dividedBy(3)), renewAfter);
        assertEquals(
                EdgeLinkTestResource.pki().edgeCa().certificate(),
                EdgeClient.certificate(answer.text("caCertificate")));

        // the appliance: registered on the spot with the token's tags, UNPAIRED until its gateway reports
        viewer(TENANT_A)
                .get("/v1/appliances/enr-new-1")
                .then()
                .statusCode(200)
                .body("status", equalTo("UNPAIRED"))
                .body("tags.site", equalTo("enrolled"))
                .body("name", equalTo("Shop 7"))
                .body("identity.status", equalTo("ENROLLED"))
                .body("identity.certificateSerial", equalTo(enrolled.serial()))
                .body("identity.certificateExpiresAt", equalTo(answer.text("notAfter")));
        viewer(TENANT_A)
                .get("/v1/appliances/enr-new-1/certificates")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].serial", equalTo(enrolled.serial()))
                .body("items[0].status", equalTo("ACTIVE"))
                .body("items[0].issuedFor", equalTo("ENROLMENT"));
        viewer(TENANT_A)
                .get("/v1/registration-tokens/" + token.id())
                .then()
                .body("uses", equalTo(1))
                .body("status", equalTo("ACTIVE"));

        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            var events = reader.await(about(TENANT_A, "enr-new-1"), 2, Duration.ofSeconds(30));
            assertEquals(List.of(EventTypes.APPLIANCE_REGISTERED, EventTypes.APPLIANCE_ENROLLED), types(events));
            assertEquals(
                    EdgeIdentity.NONE,
                    events.get(0).event().dataAs(ApplianceSnapshot.class).identity());
            EdgeIdentity identity =
                    events.get(1).event().dataAs(ApplianceSnapshot.class).identity();
            assertEquals(
                    new EdgeIdentity(
                            EdgeIdentity.Status.ENROLLED,
                            enrolled.serial(),
                            cert.getNotAfter().toInstant()),
                    identity);
        }
    }

    @Test
    void aRegisteredApplianceIsEnrolledAsItIs() throws Exception {
        register(TENANT_A, "enr-registered", """
                {"name":"Registered first"}""");
        var token = create(TENANT_A, """
                {"tags": {"name": "From the token"}}
                """);
        Enrolled enrolled = enrolled(token.secret(), "enr-registered");
        viewer(TENANT_A)
                .get("/v1/appliances/enr-registered")
                .then()
                .body("name", equalTo("Registered first"))
                .body("identity.status", equalTo("ENROLLED"));
        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            var events = reader.await(about(TENANT_A, "enr-registered"), 2, Duration.ofSeconds(30));
            assertEquals(List.of(EventTypes.APPLIANCE_REGISTERED, EventTypes.APPLIANCE_ENROLLED), types(events));
            assertEquals(
                    enrolled.serial(),
                    events.get(1)
                            .event()
                            .dataAs(ApplianceSnapshot.class)
                            .identity()
                            .certificateSerial());
        }
    }

    @Test
    void theCsrSubjectIsIgnored() throws Exception {
        var token = create(TENANT_A, "{}");
        KeyPair keys = Csrs.ec();
        EdgeClient.Answer answer = enrol(token.secret(), "enr-subject", Csrs.csr(keys, "CN=tenant-b/victim,O=Evil"));
        assertEquals(201, answer.status(), answer.body());
        assertEquals(
                "CN=tenant-a/enr-subject",
                EdgeClient.certificate(answer.text("certificate"))
                        .getSubjectX500Principal()
                        .getName());
        viewer(TENANT_B).get("/v1/appliances/victim").then().statusCode(404);
    }

    @Test
    void allowedKeysAreEcP256P384AndRsaFrom2048() throws Exception {
        var token = create(TENANT_A, """
                {"maxUses":10}""");
        int i = 0;
        for (var keys : List.of(Csrs.ec("secp384r1"), Csrs.rsa(2048))) {
            String uid = "enr-key-" + i++;
            EdgeClient.Answer answer = enrol(token.secret(), uid, Csrs.csr(keys));
            assertEquals(201, answer.status(), answer.body());
            assertEquals(
                    keys.getPublic(),
                    EdgeClient.certificate(answer.text("certificate")).getPublicKey());
        }
        viewer(TENANT_A).get("/v1/registration-tokens/" + token.id()).then().body("uses", equalTo(2));
    }

    @Test
    void badCsrsAre400AndChangeNothing() throws Exception {
        var token = create(TENANT_A, "{}");
        KeyPair keys = Csrs.ec();
        assertRefused(
                enrol(token.secret(), "enr-bad-csr", Csrs.signedByAnother(keys, Csrs.ec())), 400, "csr", "signature");
        assertRefused(enrol(token.secret(), "enr-bad-csr", Csrs.tampered(keys)), 400, "csr", "signature");
        assertRefused(enrol(token.secret(), "enr-bad-csr", Csrs.csr(Csrs.rsa(1024))), 400, "csr", "1024 bits");
        assertRefused(enrol(token.secret(), "enr-bad-csr", Csrs.csr(Csrs.ec("secp521r1"))), 400, "csr", "P-256");
        assertRefused(enrol(token.secret(), "enr-bad-csr", Csrs.csr(Csrs.ed25519())), 400, "csr", "key of type");
        assertRefused(
                enrol(
                        token.secret(),
                        "enr-bad-csr",
                        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"),
                400,
                "csr",
                "PEM");
        assertRefused(
                enrol(
                        token.secret(),
                        "enr-bad-csr",
                        EdgeLinkTestResource.pki().edgeCa().certificatePem()),
                400,
                "csr",
                "PEM");
        assertRefused(enrol(token.secret(), "enr-bad-csr", Csrs.csr(keys) + Csrs.csr(keys)), 400, "csr", "one PEM");
        // the body's other fields: every problem named at once
        EdgeClient.Answer answer = EdgeClient.anonymous().post(ENROL, Csrs.json("uid", "bad uid!"));
        assertEquals(400, answer.status());
        assertEquals(List.of("token", "uid", "csr"), answer.json().getList("errors.field"));
        assertEquals(
                400,
                EdgeClient.anonymous()
                        .post(
                                ENROL,
                                Csrs.json(
                                        "token", token.secret(), "uid", "enr-bad-csr", "csr", "x", "tenant", TENANT_B))
                        .status());
        assertNothingFor(TENANT_A, "enr-bad-csr");
        viewer(TENANT_A).get("/v1/registration-tokens/" + token.id()).then().body("uses", equalTo(0));
    }

    @Test
    void unusableTokensAre401WithTheReasonAndChangeNothing() throws Exception {
        String csr = Csrs.csr(Csrs.ec());
        assertRefused(enrol("eft_" + "A".repeat(43), "enr-refused", csr), 401, "token", "unknown");
        assertRefused(enrol("not-a-token", "enr-refused", csr), 401, "token", "unknown");

        var revoked = create(TENANT_A, "{}");
        admin(TENANT_A).delete("/v1/registration-tokens/" + revoked.id()).then().statusCode(204);
        assertRefused(enrol(revoked.secret(), "enr-refused", csr), 401, "token", "revoked");

        var expired = create(TENANT_A, "{}");
        sql("update registration_token set expires_at = now() - interval '1 second' where id = '" + expired.id() + "'");
        assertRefused(enrol(expired.secret(), "enr-refused", csr), 401, "token", "expired");

        var usedUp = create(TENANT_A, "{}");
        enrolled(usedUp.secret(), "enr-used-once");
        assertRefused(enrol(usedUp.secret(), "enr-refused", csr), 401, "token", "used up");
        viewer(TENANT_A)
                .get("/v1/registration-tokens/" + usedUp.id())
                .then()
                .body("uses", equalTo(1))
                .body("status", equalTo("USED_UP"));

        assertNothingFor(TENANT_A, "enr-refused");
    }

    @Test
    void aFixedUidTokenEnrolsOnlyThatUid() throws Exception {
        var token = create(TENANT_A, """
                {"uid":"enr-fixed"}""");
        assertRefused(enrol(token.secret(), "enr-not-fixed", Csrs.csr(Csrs.ec())), 403, "uid", "another uid");
        assertNothingFor(TENANT_A, "enr-not-fixed");
        viewer(TENANT_A).get("/v1/registration-tokens/" + token.id()).then().body("uses", equalTo(0));
        enrolled(token.secret(), "enr-fixed");
    }

    @Test
    void anotherTenantsTokenEnrolsIntoItsOwnTenantOnly() throws Exception {
        var tokenA = create(TENANT_A, "{}");
        Enrolled a = enrolled(tokenA.secret(), "enr-both");
        var tokenB = create(TENANT_B, "{}");
        Enrolled b = enrolled(tokenB.secret(), "enr-both"); // the same uid is another appliance in tenant B
        assertEquals(
                "CN=tenant-b/enr-both",
                b.certificate().getSubjectX500Principal().getName());
        viewer(TENANT_A)
                .get("/v1/appliances/enr-both/certificates")
                .then()
                .body("total", equalTo(1))
                .body("items[0].serial", equalTo(a.serial()))
                .body("items[0].status", equalTo("ACTIVE"));
        viewer(TENANT_B)
                .get("/v1/appliances/enr-both/certificates")
                .then()
                .body("total", equalTo(1))
                .body("items[0].serial", equalTo(b.serial()));
        // tenant B cannot see or cut off tenant A's certificates
        admin(TENANT_B).delete("/v1/appliances/enr-a-only/certificates").then().statusCode(404);
        enrolled(create(TENANT_A, "{}").secret(), "enr-a-only");
        viewer(TENANT_B).get("/v1/appliances/enr-a-only/certificates").then().statusCode(404);
        admin(TENANT_B).delete("/v1/appliances/enr-a-only/certificates").then().statusCode(404);
        viewer(TENANT_A).get("/v1/appliances/enr-a-only").then().body("identity.status", equalTo("ENROLLED"));
    }

    @Test
    void reEnrolmentNeedsATokenForTheUidAndSupersedesEveryEarlierCertificate() throws Exception {
        Enrolled first = enrolled(create(TENANT_A, """
                {"tags": {"gen": "1"}}
                """).secret(), "enr-again");
        useBy(TENANT_A, "c-enr-again", "enr-again");

        // a generic token cannot take over an appliance that had a certificate
        var generic = create(TENANT_A, "{}");
        assertRefused(
                enrol(generic.secret(), "enr-again", Csrs.csr(Csrs.ec())), 409, "token", "issued for uid 'enr-again'");
        viewer(TENANT_A).get("/v1/registration-tokens/" + generic.id()).then().body("uses", equalTo(0));

        // the reimaged machine, with a token issued for its uid
        var forUid = create(TENANT_A, """
                {"uid": "enr-again", "tags": {"gen": "2"}}
                """);
        Enrolled second = enrolled(forUid.secret(), "enr-again");
        assertNotEquals(first.serial(), second.serial());
        viewer(TENANT_A)
                .get("/v1/appliances/enr-again")
                .then()
                .body("usedByCluster", equalTo("c-enr-again"))
                .body("tags.gen", equalTo("1"))
                .body("identity.status", equalTo("ENROLLED"))
                .body("identity.certificateSerial", equalTo(second.serial()));
        viewer(TENANT_A)
                .get("/v1/appliances/enr-again/certificates")
                .then()
                .body("total", equalTo(2))
                .body("items[0].serial", equalTo(second.serial()))
                .body("items[0].status", equalTo("ACTIVE"))
                .body("items[1].serial", equalTo(first.serial()))
                .body("items[1].status", equalTo("REVOKED"))
                .body("items[1].reason", equalTo("SUPERSEDED"));
        assertTrue(
                CertificateAuthorityTest.crlSerials()
                        .contains(first.certificate().getSerialNumber()),
                "the CRL lists the old one");
        assertFalse(CertificateAuthorityTest.crlSerials()
                .contains(second.certificate().getSerialNumber()));

        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            var enrolments = reader.await(
                    about(TENANT_A, "enr-again").and(r -> r.event().type().equals(EventTypes.APPLIANCE_ENROLLED)),
                    2,
                    Duration.ofSeconds(30));
            assertEquals(2, enrolments.size());
            ApplianceSnapshot latest = enrolments.get(1).event().dataAs(ApplianceSnapshot.class);
            assertEquals(second.serial(), latest.identity().certificateSerial());
            assertEquals("c-enr-again", latest.usedByCluster());
        }
    }

    @Test
    void twoEnrolmentsRacingForASingleUseTokenGiveOneCertificate() throws Exception {
        for (int round = 0; round < 3; round++) {
            var token = create(TENANT_A, "{}");
            String a = "enr-race-" + round + "-a";
            String b = "enr-race-" + round + "-b";
            CompletableFuture<EdgeClient.Answer> first =
                    EdgeClient.anonymous().postAsync(ENROL, Csrs.enrolment(token.secret(), a, Csrs.csr(Csrs.ec())));
            CompletableFuture<EdgeClient.Answer> second =
                    EdgeClient.anonymous().postAsync(ENROL, Csrs.enrolment(token.secret(), b, Csrs.csr(Csrs.ec())));
            List<Integer> statuses = List.of(first.get().status(), second.get().status()).stream()
                    .sorted()
                    .toList();
            assertEquals(
                    List.of(201, 401),
                    statuses,
                    first.get().body() + " / " + second.get().body());
            viewer(TENANT_A).get("/v1/registration-tokens/" + token.id()).then().body("uses", equalTo(1));
            assertEquals(
                    1,
                    count("select count(*) from appliance where tenant = 'tenant-a' and uid in ('" + a + "', '" + b
                            + "')"));
            assertEquals(
                    1,
                    count("select count(*) from appliance_certificate where tenant = 'tenant-a' and uid in ('" + a
                            + "', '" + b + "')"));
        }
    }

    @Test
    void enrolmentNeedsNoBearerTokenButTls() throws Exception {
        var token = create(TENANT_A, "{}");
        // an operator's bearer token changes nothing: the registration token decides
        EdgeClient.Answer plain =
                EdgeClient.plainHttp().post(ENROL, Csrs.enrolment(token.secret(), "enr-plain", Csrs.csr(Csrs.ec())));
        assertEquals(403, plain.status(), plain.body());
        assertEquals("urn:edgefleet:problem:tls-required", plain.text("type"));
        assertNothingFor(TENANT_A, "enr-plain");
        enrolled(token.secret(), "enr-plain");
    }

    /** Announces on cluster-events, as cluster-service does, that cluster {@code clusterId} uses {@code uid}; waits until it shows. */
    static void useBy(String tenant, String clusterId, String uid) {
        var cluster = new ClusterSnapshot(
                clusterId,
                clusterId,
                Map.of(),
                ClusterStatus.PENDING,
                null,
                CloudType.CONTAINERIZED,
                "p1",
                List.of(),
                List.of(uid),
                List.of(new ClusterSnapshot.Pool("master", true, 1)),
                List.of(),
                Instant.now(),
                Instant.now(),
                1);
        var event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/cluster-service",
                EventTypes.CLUSTER_CREATED,
                clusterId,
                tenant,
                Instant.now(),
                EventJson.write(cluster));
        try (var producer = new TestPublisher()) { // as cluster-service
            producer.send(KafkaCloudEvents.toRecord(Topics.CLUSTER_EVENTS, clusterId, event));
        }
        Eventually.holds(
                Duration.ofSeconds(30),
                Duration.ofMillis(200),
                () -> clusterId.equals(viewer(tenant)
                        .get("/v1/appliances/" + uid)
                        .then()
                        .extract()
                        .path("usedByCluster")));
        viewer(tenant).get("/v1/appliances/" + uid).then().body("usedByCluster", equalTo(clusterId));
    }

    static void assertRefused(EdgeClient.Answer answer, int status, String field, String reason) {
        assertEquals(status, answer.status(), answer.body());
        assertTrue(answer.contentType().startsWith(PROBLEM), answer.contentType());
        assertEquals(field, answer.text("field"), answer.body());
        assertTrue(answer.text("detail").contains(reason), answer.text("detail") + " should say " + reason);
    }

    /** No appliance row, no certificate, no event: a refused enrolment leaves no trace. */
    void assertNothingFor(String tenant, String uid) throws SQLException {
        assertEquals(
                0, count("select count(*) from appliance where tenant = '" + tenant + "' and uid = '" + uid + "'"));
        assertEquals(
                0,
                count("select count(*) from appliance_certificate where tenant = '" + tenant + "' and uid = '" + uid
                        + "'"));
        assertEquals(0, count("select count(*) from outbox_message where subject = '" + uid + "'"));
    }

    long count(String sql) throws SQLException {
        try (var c = db.getConnection();
                var st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void sql(String sql) throws SQLException {
        try (var c = db.getConnection();
                var st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }
}
