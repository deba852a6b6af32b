package io.edgefleet.appliance;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.EdgeIdentity;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.appliance.EnrolmentTest.enrolled;
import static io.edgefleet.appliance.PairingTest.about;
import static io.edgefleet.appliance.PairingTest.types;
import static io.edgefleet.appliance.RegistrationTokenApiTest.create;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Revocation (by an operator, by delete, by re-enrolment) and the edge CA's public documents. */
@QuarkusTest
@TestInfrastructure
class CertificateAuthorityTest {

    private static final String CRL = "/v1/certificate-authority/crl.pem";
    private static final String CA = "/v1/certificate-authority/ca.pem";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    /** The current CRL, fetched without any credential. */
    static X509CRL crl() {
        String pem = given().get(CRL)
                .then()
                .statusCode(200)
                .contentType("application/x-pem-file")
                .extract()
                .asString();
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<BigInteger> crlSerials() {
        Set<? extends X509CRLEntry> entries = crl().getRevokedCertificates();
        return entries == null
                ? Set.of()
                : entries.stream().map(X509CRLEntry::getSerialNumber).collect(Collectors.toSet());
    }

    static BigInteger crlNumber(X509CRL crl) {
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(crl.getExtensionValue("2.5.29.20"))
                        .getOctets())
                .getValue();
    }

    @Test
    void theCaCertificateIsPublic() throws Exception {
        String pem = given().get(CA)
                .then()
                .statusCode(200)
                .contentType("application/pem-certificate-chain")
                .extract()
                .asString();
        X509Certificate ca = EdgeClient.certificate(pem);
        assertEquals(EdgeLinkTestResource.pki().edgeCa().certificate(), ca);
        // on the edge port too, without a certificate
        EdgeClient.Answer overTls = EdgeClient.anonymous().get(CA);
        assertEquals(200, overTls.status());
        assertEquals(pem, overTls.body());
    }

    @Test
    void theCrlIsSignedByTheCaValidForSevenDaysAndSignedAgainOnlyWhenItChanges() throws Exception {
        X509CRL first = crl();
        X509CRL same = crl();
        // nothing was revoked in between: the same CRL (each new one makes the bridges reload the broker)
        assertEquals(first, same);
        var revoked = enrolled(create(TENANT_A, "{}").secret(), "ca-crl-grows");
        admin(TENANT_A)
                .delete("/v1/appliances/ca-crl-grows/certificates")
                .then()
                .statusCode(204);
        X509CRL second = crl();
        assertTrue(
                second.getRevokedCertificate(revoked.certificate().getSerialNumber()) != null, "the new CRL lists it");
        X509Certificate ca = EdgeLinkTestResource.pki().edgeCa().certificate();
        for (X509CRL crl : List.of(first, second)) {
            crl.verify(ca.getPublicKey());
            assertEquals(2, crl.getVersion());
            assertEquals(ca.getSubjectX500Principal(), crl.getIssuerX500Principal());
            Instant thisUpdate = crl.getThisUpdate().toInstant();
            assertTrue(
                    Duration.between(thisUpdate, Instant.now()).abs().compareTo(Duration.ofMinutes(2)) < 0,
                    "thisUpdate " + thisUpdate);
            assertEquals(
                    Duration.ofDays(7),
                    Duration.between(thisUpdate, crl.getNextUpdate().toInstant()));
            assertTrue(crl.getNonCriticalExtensionOIDs().contains("2.5.29.35"), "authority key identifier");
        }
        assertTrue(crlNumber(second).compareTo(crlNumber(first)) > 0, crlNumber(first) + " then " + crlNumber(second));
        // the edge port serves it too
        assertEquals(200, EdgeClient.anonymous().get(CRL).status());
    }

    @Test
    void revokingCutsTheApplianceOff() throws Exception {
        var enrolledOnce = enrolled(create(TENANT_A, "{}").secret(), "ca-revoke");
        admin(TENANT_A).delete("/v1/appliances/ca-revoke/certificates").then().statusCode(204);
        viewer(TENANT_A)
                .get("/v1/appliances/ca-revoke")
                .then()
                .body("identity.status", equalTo("REVOKED"))
                .body("identity.certificateSerial", equalTo(enrolledOnce.serial()));
        viewer(TENANT_A)
                .get("/v1/appliances/ca-revoke/certificates")
                .then()
                .body("items.status", everyItem(equalTo("REVOKED")))
                .body("items[0].reason", equalTo("REVOKED"))
                .body("items[0].revokedAt", notNullValue());
        X509CRL crl = crl();
        X509CRLEntry entry =
                crl.getRevokedCertificate(enrolledOnce.certificate().getSerialNumber());
        assertTrue(entry != null, "listed in the CRL");
        assertNull(entry.getRevocationReason(), "reason unspecified: no reason code (RFC 5280)");

        // again: nothing more to do, no second event
        admin(TENANT_A).delete("/v1/appliances/ca-revoke/certificates").then().statusCode(204);
        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            reader.await(about(TENANT_A, "ca-revoke"), 3, Duration.ofSeconds(30));
            var events = reader.settle(about(TENANT_A, "ca-revoke"), Duration.ofSeconds(2));
            assertEquals(
                    List.of(
                            EventTypes.APPLIANCE_REGISTERED,
                            EventTypes.APPLIANCE_ENROLLED,
                            EventTypes.APPLIANCE_CREDENTIALS_REVOKED),
                    types(events));
            EdgeIdentity identity =
                    events.get(2).event().dataAs(ApplianceSnapshot.class).identity();
            assertEquals(EdgeIdentity.Status.REVOKED, identity.status());
            assertEquals(enrolledOnce.serial(), identity.certificateSerial());
        }

        // it is back only with a token for its uid
        assertEquals(
                409,
                EnrolmentTest.enrol(create(TENANT_A, "{}").secret(), "ca-revoke", Csrs.csr(Csrs.ec()))
                        .status());
        var back = enrolled(create(TENANT_A, """
                {"uid":"ca-revoke"}""").secret(), "ca-revoke");
        viewer(TENANT_A)
                .get("/v1/appliances/ca-revoke")
                .then()
                .body("identity.status", equalTo("ENROLLED"))
                .body("identity.certificateSerial", equalTo(back.serial()));
        viewer(TENANT_A)
                .get("/v1/appliances/ca-revoke/certificates")
                .then()
                .body("items.reason", equalTo(Arrays.asList(null, "REVOKED"))); // the old reason is kept
    }

    @Test
    void onlyAdminsOfTheTenantRevoke() {
        register(TENANT_A, "ca-never", "{}");
        viewer(TENANT_A).delete("/v1/appliances/ca-never/certificates").then().statusCode(403);
        admin(TENANT_B).delete("/v1/appliances/ca-never/certificates").then().statusCode(404);
        admin(TENANT_A).delete("/v1/appliances/ca-nobody/certificates").then().statusCode(404);
        admin(TENANT_A).delete("/v1/appliances/bad%20uid/certificates").then().statusCode(400);
        given().delete("/v1/appliances/ca-never/certificates").then().statusCode(401);
        given().get("/v1/appliances/ca-never/certificates").then().statusCode(401);
        // a never enrolled appliance has nothing to revoke: no change, no event
        admin(TENANT_A).delete("/v1/appliances/ca-never/certificates").then().statusCode(204);
        viewer(TENANT_A).get("/v1/appliances/ca-never").then().body("identity.status", equalTo("NONE"));
        viewer(TENANT_A).get("/v1/appliances/ca-never/certificates").then().body("total", equalTo(0));
    }

    @Test
    void deletingAnApplianceRevokesItsCertificates() throws Exception {
        var gone = enrolled(create(TENANT_A, "{}").secret(), "ca-deleted");
        admin(TENANT_A).delete("/v1/appliances/ca-deleted").then().statusCode(204);
        X509CRLEntry entry = crl().getRevokedCertificate(gone.certificate().getSerialNumber());
        assertTrue(entry != null, "listed in the CRL");
        assertEquals(CRLReason.CESSATION_OF_OPERATION, entry.getRevocationReason());
        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            var events = reader.await(about(TENANT_A, "ca-deleted"), 3, Duration.ofSeconds(30));
            assertEquals(
                    List.of(
                            EventTypes.APPLIANCE_REGISTERED,
                            EventTypes.APPLIANCE_ENROLLED,
                            EventTypes.APPLIANCE_DELETED),
                    types(events));
            assertEquals(
                    EdgeIdentity.Status.REVOKED,
                    events.get(2)
                            .event()
                            .dataAs(ApplianceSnapshot.class)
                            .identity()
                            .status());
        }
        // a new appliance of the same uid starts afresh: a generic token enrols it
        var again = enrolled(create(TENANT_A, "{}").secret(), "ca-deleted");
        viewer(TENANT_A)
                .get("/v1/appliances/ca-deleted/certificates")
                .then()
                .body("total", equalTo(1))
                .body("items[0].serial", equalTo(again.serial()));
    }

    @Test
    void theCrlListsExactlyTheRevokedCertificatesThatHaveNotExpired() throws Exception {
        var kept = enrolled(create(TENANT_B, "{}").secret(), "ca-crl-kept");
        var revoked = enrolled(create(TENANT_B, "{}").secret(), "ca-crl-revoked");
        var expired = enrolled(create(TENANT_B, "{}").secret(), "ca-crl-expired");
        admin(TENANT_B)
                .delete("/v1/appliances/ca-crl-revoked/certificates")
                .then()
                .statusCode(204);
        admin(TENANT_B)
                .delete("/v1/appliances/ca-crl-expired/certificates")
                .then()
                .statusCode(204);
        try (var c = db.getConnection();
                var st = c.createStatement()) {
            st.executeUpdate("update appliance_certificate set not_after = now() - interval '1 minute' where serial = '"
                    + expired.serial() + "'");
        }
        Set<BigInteger> listed = crlSerials();
        assertEquals(revokedUnexpiredInDatabase(), listed);
        assertTrue(listed.contains(revoked.certificate().getSerialNumber()));
        assertFalse(listed.contains(kept.certificate().getSerialNumber()), "an active certificate is not listed");
        assertFalse(listed.contains(expired.certificate().getSerialNumber()), "an expired one need not be listed");
    }

    private Set<BigInteger> revokedUnexpiredInDatabase() throws SQLException {
        Set<BigInteger> serials = new HashSet<>();
        try (var c = db.getConnection();
                var st = c.createStatement();
                var rs = st.executeQuery(
                        "select serial from appliance_certificate where revoked_at is not null and not_after > now()")) {
            while (rs.next()) {
                serials.add(new BigInteger(rs.getString(1), 16));
            }
        }
        return serials;
    }
}
