package io.edgefleet.appliance.enrolment;

import io.edgefleet.appliance.TestInfrastructure;
import io.edgefleet.appliance.ca.EdgeCa;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.EdgePki;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application's own check of a renewal's client certificate, whatever the TLS layer let through (an expired
 * certificate never gets past the JDK's TLS, so it is tested here).
 */
@QuarkusTest
@TestInfrastructure
class ClientCertificatesTest {

    @Inject
    EdgeCa ca;

    @Test
    void readsTheIdentityOfAValidEdgeCertificate() {
        EdgePki.Issued device = EdgeLinkTestResource.pki().device("tenant-a", "cc-1");
        var presented = ClientCertificates.identify(device.certificate(), ca, Instant.now());
        assertEquals(
                new ClientCertificates.Presented(
                        "tenant-a", "cc-1", device.serial().toString(16)),
                presented);
    }

    @Test
    void refusesExpiredForeignAndMisnamedCertificates() {
        EdgePki pki = EdgeLinkTestResource.pki();
        Instant now = Instant.now();
        refused(
                pki.device("tenant-a", "cc-old", now.minus(Duration.ofDays(91)), now.minus(Duration.ofDays(1))),
                "expired");
        refused(
                pki.device("tenant-a", "cc-early", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(91))),
                "not valid before");
        refused(pki.foreignDevice("tenant-a", "cc-foreign"), "not issued by the edge CA");
        refused(signedByEdgeCa("CN=tenant-a/x/cc-2"), "does not name an appliance");
        refused(signedByEdgeCa("CN=tenant a/cc-3"), "does not name an appliance");
        refused(signedByEdgeCa("CN=cc-4"), "does not name an appliance");
        refused(signedByEdgeCa("CN=tenant-a/cc-5+CN=tenant-b/cc-5"), "does not name an appliance");
        refused(signedByEdgeCa("O=tenant-a,OU=cc-6"), "does not name an appliance");
        // the CA itself is no appliance
        ProblemException e = assertThrows(
                ProblemException.class,
                () -> ClientCertificates.identify(pki.platformCa().certificate(), ca, now));
        assertEquals(401, e.status());
    }

    /** A certificate of the edge CA with any subject (EdgePki makes only well-formed device names). */
    private static X509Certificate signedByEdgeCa(String subject) {
        EdgePki.Issued edgeCa = EdgeLinkTestResource.pki().edgeCa();
        try {
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(
                    edgeCa.certificate(),
                    BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(Duration.ofDays(1))),
                    new X500Name(subject),
                    EdgePki.ecKeys().getPublic());
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(edgeCa.key())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void refused(EdgePki.Issued certificate, String reason) {
        refused(certificate.certificate(), reason);
    }

    private void refused(X509Certificate certificate, String reason) {
        ProblemException e =
                assertThrows(ProblemException.class, () -> ClientCertificates.identify(certificate, ca, Instant.now()));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains(reason), e.getMessage() + " should say " + reason);
    }
}
