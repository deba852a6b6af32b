package io.edgefleet.bridge.mosquitto;

import io.edgefleet.testsupport.EdgePki;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrlTest {

    @TempDir
    static Path dir;

    static EdgePki pki;

    @BeforeAll
    static void pki() {
        pki = EdgePki.create(dir.resolve("pki"));
    }

    @Test
    void acceptsOnlyTheEdgeCasSignatureAndACurrentCrl() throws Exception {
        Instant now = Instant.now();
        Crl good = crl(pki.edgeCa().key(), 7, now.minusSeconds(10), now.plus(Duration.ofDays(7)));
        good.verifySignature(List.of(pki.edgeCa().certificate()));
        good.verifyCurrent(now);
        assertEquals(BigInteger.valueOf(7), good.number());

        Crl forged = crl(EdgePki.ecKeys().getPrivate(), 8, now.minusSeconds(10), now.plus(Duration.ofDays(7)));
        assertThrows(
                GeneralSecurityException.class,
                () -> forged.verifySignature(List.of(pki.edgeCa().certificate())));
        assertThrows(
                GeneralSecurityException.class,
                () -> good.verifySignature(List.of(pki.platformCa().certificate())));

        Crl expired = crl(pki.edgeCa().key(), 9, now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(1)));
        assertThrows(GeneralSecurityException.class, () -> expired.verifyCurrent(now));
        Crl future = crl(pki.edgeCa().key(), 9, now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(8)));
        assertThrows(GeneralSecurityException.class, () -> future.verifyCurrent(now));
    }

    @Test
    void newerMeansAHigherNumberOrTheSameNumberIssuedLater() throws Exception {
        Instant now = Instant.now();
        Instant later = now.plusSeconds(60);
        Instant next = now.plus(Duration.ofDays(7));
        Crl five = crl(pki.edgeCa().key(), 5, now, next);
        assertTrue(five.newerThan(null));
        assertTrue(crl(pki.edgeCa().key(), 6, now.minusSeconds(60), next).newerThan(five));
        assertFalse(crl(pki.edgeCa().key(), 4, later, next).newerThan(five), "an old CRL served again");
        assertTrue(crl(pki.edgeCa().key(), 5, later, next).newerThan(five), "re-issued with the same content");
        assertFalse(crl(pki.edgeCa().key(), 5, now, next).newerThan(five));
        // EdgePki's CRL has no number: then the date decides
        Crl unnumbered = Crl.parse(pki.crlPem().getBytes(StandardCharsets.US_ASCII));
        assertNull(unnumbered.number());
        assertTrue(
                crl(pki.edgeCa().key(), 1, Instant.now().plusSeconds(1), next).newerThan(unnumbered));
    }

    @Test
    void readsPemAndDerAndWritesPem() throws Exception {
        Crl crl = crl(pki.edgeCa().key(), 300, Instant.now(), Instant.now().plus(Duration.ofDays(7)));
        assertTrue(crl.pem().startsWith("-----BEGIN X509 CRL-----\n"));
        assertEquals(
                BigInteger.valueOf(300),
                Crl.parse(crl.pem().getBytes(StandardCharsets.US_ASCII)).number());
        assertEquals(BigInteger.valueOf(300), Crl.parse(crl.crl().getEncoded()).number());
        assertThrows(
                GeneralSecurityException.class,
                () -> Crl.parse("<html>not found</html>".getBytes(StandardCharsets.US_ASCII)));
    }

    static Crl crl(PrivateKey key, long number, Instant thisUpdate, Instant nextUpdate) throws Exception {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(
                        pki.edgeCa().certificate().getSubjectX500Principal().getEncoded()),
                Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(nextUpdate));
        builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
        return Crl.parse(EdgePki.pem(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)))
                .getBytes(StandardCharsets.US_ASCII));
    }
}
