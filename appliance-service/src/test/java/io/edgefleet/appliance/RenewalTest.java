package io.edgefleet.appliance;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.EdgeIdentity;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.appliance.EnrolmentTest.assertRefused;
import static io.edgefleet.appliance.EnrolmentTest.enrolled;
import static io.edgefleet.appliance.PairingTest.about;
import static io.edgefleet.appliance.RegistrationTokenApiTest.create;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Renewal over real mutual TLS: the current certificate is the credential; nothing else is. */
@QuarkusTest
@TestInfrastructure
class RenewalTest {

    static final String RENEW = "/v1/enrollments/renewal";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    static EdgeClient.Answer renew(X509Certificate certificate, PrivateKey key, KeyPair next) throws IOException {
        return EdgeClient.presenting(certificate, key).post(RENEW, Csrs.json("csr", Csrs.csr(next)));
    }

    @Test
    void theCurrentCertificateGetsTheNextOneAndStaysValid() throws Exception {
        var enrolled = enrolled(create(TENANT_A, "{}").secret(), "ren-1");
        KeyPair next = Csrs.ec();
        EdgeClient.Answer renewed =
                renew(enrolled.certificate(), enrolled.keys().getPrivate(), next);
        assertEquals(201, renewed.status(), renewed.body());
        X509Certificate certificate = EdgeClient.certificate(renewed.text("certificate"));
        certificate.verify(EdgeLinkTestResource.pki().edgeCa().certificate().getPublicKey());
        assertEquals("CN=tenant-a/ren-1", certificate.getSubjectX500Principal().getName());
        assertEquals(next.getPublic(), certificate.getPublicKey());
        assertNotEquals(enrolled.serial(), renewed.text("serial"));
        assertEquals("edgefleet/tenant-a/ren-1/commands", renewed.text("commandsTopic"));
        assertEquals(enrolled.answer().text("caCertificate"), renewed.text("caCertificate"));

        // the old certificate is not revoked: a gateway switches over when it has the new pair
        viewer(TENANT_A)
                .get("/v1/appliances/ren-1/certificates")
                .then()
                .body("total", equalTo(2))
                .body("items[0].serial", equalTo(renewed.text("serial")))
                .body("items[0].issuedFor", equalTo("RENEWAL"))
                .body("items.status", equalTo(List.of("ACTIVE", "ACTIVE")));
        viewer(TENANT_A)
                .get("/v1/appliances/ren-1")
                .then()
                .body("identity.status", equalTo("ENROLLED"))
                .body("identity.certificateSerial", equalTo(renewed.text("serial")));

        // the new certificate renews in turn
        EdgeClient.Answer again = renew(certificate, next.getPrivate(), Csrs.ec());
        assertEquals(201, again.status(), again.body());

        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            var updates = reader.await(
                    about(TENANT_A, "ren-1").and(r -> r.event().type().equals(EventTypes.APPLIANCE_UPDATED)),
                    2,
                    Duration.ofSeconds(30));
            EdgeIdentity identity =
                    updates.get(0).event().dataAs(ApplianceSnapshot.class).identity();
            assertEquals(
                    new EdgeIdentity(
                            EdgeIdentity.Status.ENROLLED,
                            renewed.text("serial"),
                            certificate.getNotAfter().toInstant()),
                    identity);
            assertEquals(
                    again.text("serial"),
                    updates.get(1)
                            .event()
                            .dataAs(ApplianceSnapshot.class)
                            .identity()
                            .certificateSerial());
        }
    }

    @Test
    void noCertificateNoRenewal() throws Exception {
        assertRefused(
                EdgeClient.anonymous().post(RENEW, Csrs.json("csr", Csrs.csr(Csrs.ec()))),
                401,
                "clientCertificate",
                "no client certificate");
        assertRefused(
                EdgeClient.plainHttp().post(RENEW, Csrs.json("csr", Csrs.csr(Csrs.ec()))),
                401,
                "clientCertificate",
                "TLS");
        // who asks is checked before what is asked
        assertRefused(EdgeClient.anonymous().post(RENEW, """
                        {"csr":"junk"}"""), 401, "clientCertificate", "no client certificate");
    }

    @Test
    void aRevokedOrSupersededCertificateRenewsNothing() throws Exception {
        var revoked = enrolled(create(TENANT_A, "{}").secret(), "ren-revoked");
        admin(TENANT_A).delete("/v1/appliances/ren-revoked/certificates").then().statusCode(204);
        assertRefused(
                renew(revoked.certificate(), revoked.keys().getPrivate(), Csrs.ec()),
                401,
                "clientCertificate",
                "revoked");

        var old = enrolled(create(TENANT_A, "{}").secret(), "ren-superseded");
        enrolled(create(TENANT_A, """
                {"uid":"ren-superseded"}""").secret(), "ren-superseded");
        assertRefused(
                renew(old.certificate(), old.keys().getPrivate(), Csrs.ec()), 401, "clientCertificate", "revoked");

        viewer(TENANT_A).get("/v1/appliances/ren-revoked/certificates").then().body("total", equalTo(1));
        viewer(TENANT_A)
                .get("/v1/appliances/ren-superseded/certificates")
                .then()
                .body("total", equalTo(2));
    }

    @Test
    void aDeletedApplianceRenewsNothing() throws Exception {
        var enrolled = enrolled(create(TENANT_A, "{}").secret(), "ren-deleted");
        admin(TENANT_A).delete("/v1/appliances/ren-deleted").then().statusCode(204);
        assertRefused(
                renew(enrolled.certificate(), enrolled.keys().getPrivate(), Csrs.ec()),
                401,
                "clientCertificate",
                "does not exist");
    }

    @Test
    void aCertificateTheServiceNeverIssuedRenewsNothing() throws Exception {
        // signed by the edge CA (say, by a copy of its key) but never issued by the service: unknown serial
        enrolled(create(TENANT_A, "{}").secret(), "ren-forged");
        EdgePki.Issued forged = EdgeLinkTestResource.pki().device(TENANT_A, "ren-forged");
        assertRefused(renew(forged.certificate(), forged.key(), Csrs.ec()), 401, "clientCertificate", "unknown");
    }

    @Test
    void aCertificateOfAnotherCaIsRefused() throws Exception {
        enrolled(create(TENANT_A, "{}").secret(), "ren-foreign");
        EdgePki.Issued foreign = EdgeLinkTestResource.pki().foreignDevice(TENANT_A, "ren-foreign");
        try {
            EdgeClient.Answer answer = renew(foreign.certificate(), foreign.key(), Csrs.ec());
            assertRefused(answer, 401, "clientCertificate", "");
        } catch (IOException refusedByTls) {
            // the TLS handshake refused it (the edge CA is the only trusted issuer): as good
        }
        viewer(TENANT_A).get("/v1/appliances/ren-foreign/certificates").then().body("total", equalTo(1));
    }

    @Test
    void aBadCsrWithAGoodCertificateIs400() throws Exception {
        var enrolled = enrolled(create(TENANT_A, "{}").secret(), "ren-bad-csr");
        EdgeClient client =
                EdgeClient.presenting(enrolled.certificate(), enrolled.keys().getPrivate());
        assertRefused(client.post(RENEW, Csrs.json("csr", Csrs.csr(Csrs.rsa(1024)))), 400, "csr", "1024");
        assertRefused(
                client.post(RENEW, Csrs.json("csr", Csrs.signedByAnother(Csrs.ec(), Csrs.ec()))),
                400,
                "csr",
                "signature");
        assertRefused(client.post(RENEW, "{}"), 400, "csr", "required");
        viewer(TENANT_A).get("/v1/appliances/ren-bad-csr/certificates").then().body("total", equalTo(1));
    }
}
