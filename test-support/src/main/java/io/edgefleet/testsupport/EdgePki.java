package io.edgefleet.testsupport;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * The tests' own PKI, laid out as the deployment's (docs/edge-link.md): an <b>edge CA</b> that signs device
 * certificates ({@code CN=<tenant>/<uid>}) and the CRL, and a <b>platform CA</b> that signs server certificates
 * (localhost, 127.0.0.1) and the bridge's client certificate ({@code CN=edgefleet-bridge}). Everything is written
 * as PEM under {@link #dir()}; private keys 0600.
 */
public final class EdgePki {

    public static final String BRIDGE_CN = "edgefleet-bridge";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Issued edgeCa;
    private final Issued platformCa;
    private final Issued server;
    private final Issued bridge;
    private final List<BigInteger> revoked = new ArrayList<>();

    private EdgePki(Path dir, Issued edgeCa, Issued platformCa, Issued server, Issued bridge) {
        this.dir = dir;
        this.edgeCa = edgeCa;
        this.platformCa = platformCa;
        this.server = server;
        this.bridge = bridge;
    }

    /** A certificate with its key, and where both were written. */
    public record Issued(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        public String certificatePem() {
            return pem(certificate);
        }
    }

    /** Creates both CAs, the server certificate and the bridge certificate under {@code dir}, and an empty CRL. */
    public static EdgePki create(Path dir) {
        try {
            Files.createDirectories(dir);
            Issued edgeCa = selfSigned(dir, "edge-ca", "EdgeFleet edge CA (test)");
            Issued platformCa = selfSigned(dir, "platform-ca", "EdgeFleet platform CA (test)");
            Instant now = Instant.now();
            Issued server = issue(
                    dir,
                    "server",
                    platformCa,
                    new X500Name("CN=localhost"),
                    ecKeys(),
                    now.minusSeconds(300),
                    now.plus(Duration.ofDays(30)),
                    KeyPurposeId.id_kp_serverAuth,
                    true);
            Issued bridge = issue(
                    dir,
                    "bridge",
                    platformCa,
                    new X500Name("CN=" + BRIDGE_CN),
                    ecKeys(),
                    now.minusSeconds(300),
                    now.plus(Duration.ofDays(30)),
                    KeyPurposeId.id_kp_clientAuth,
                    false);
            EdgePki pki = new EdgePki(dir, edgeCa, platformCa, server, bridge);
            pki.writeCrl();
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not create the test PKI", e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Issued edgeCa() {
        return edgeCa;
    }

    public Issued platformCa() {
        return platformCa;
    }

    /** The server certificate (localhost, 127.0.0.1), signed by the platform CA. */
    public Issued server() {
        return server;
    }

    /** The bridge's client certificate, signed by the platform CA. */
    public Issued bridge() {
        return bridge;
    }

    public Path crlFile() {
        return dir.resolve("edge-ca.crl.pem");
    }

    /** A device certificate for {@code tenant/uid}, valid for 30 days, with a key made here. */
    public Issued device(String tenant, String uid) {
        Instant now = Instant.now();
        return device(tenant, uid, now.minusSeconds(300), now.plus(Duration.ofDays(30)));
    }

    /** A device certificate with the given validity (an expired one, say). */
    public Issued device(String tenant, String uid, Instant notBefore, Instant notAfter) {
        try {
            return issue(
                    dir,
                    "device-" + tenant + "-" + uid + "-" + Long.toHexString(RANDOM.nextLong()),
                    edgeCa,
                    new X500Name("CN=" + tenant + "/" + uid),
                    ecKeys(),
                    notBefore,
                    notAfter,
                    KeyPurposeId.id_kp_clientAuth,
                    false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A device certificate for {@code tenant/uid} signed by a CA nobody trusts. */
    public Issued foreignDevice(String tenant, String uid) {
        try {
            Issued foreignCa =
                    selfSigned(dir, "foreign-ca-" + Long.toHexString(RANDOM.nextLong()), "Somebody else's CA");
            Instant now = Instant.now();
            return issue(
                    dir,
                    "foreign-" + tenant + "-" + uid,
                    foreignCa,
                    new X500Name("CN=" + tenant + "/" + uid),
                    ecKeys(),
                    now.minusSeconds(300),
                    now.plus(Duration.ofDays(30)),
                    KeyPurposeId.id_kp_clientAuth,
                    false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds {@code certificate} to the edge CA's CRL and rewrites the CRL file (the broker needs a reload to see it). */
    public synchronized void revoke(Issued certificate) {
        revoked.add(certificate.serial());
        writeCrl();
    }

    /** The CRL of the edge CA (PEM) listing every certificate revoked so far, valid for 7 days. */
    public synchronized String crlPem() {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder crl = new X509v2CRLBuilder(
                    new X500Name(edgeCa.certificate().getSubjectX500Principal().getName()),
                    Date.from(now.minusSeconds(60)));
            crl.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
            for (BigInteger serial : revoked) {
                crl.addCRLEntry(serial, Date.from(now.minusSeconds(30)), CRLReason.superseded);
            }
            var holder = crl.build(signer(edgeCa.key()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(holder);
            }
            return out.toString();
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("could not sign the CRL", e);
        }
    }

    private void writeCrl() {
        try {
            Path tmp = crlFile().resolveSibling(crlFile().getFileName() + ".tmp");
            Files.writeString(tmp, crlPem());
            Files.move(tmp, crlFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A private key as PKCS#8 PEM ("PRIVATE KEY"), which both OpenSSL and the JDK read. */
    public static String pkcs8Pem(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null).generate());
        } catch (PemGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static Issued selfSigned(Path dir, String name, String cn)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = ecKeys();
        X500Name subject = new X500Name("CN=" + cn);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                serial(),
                Date.from(now.minusSeconds(300)),
                Date.from(now.plus(Duration.ofDays(365))),
                subject,
                keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate certificate = certificate(builder.build(signer(keys.getPrivate())));
        return write(dir, name, certificate, keys.getPrivate());
    }

    private static Issued issue(
            Path dir,
            String name,
            Issued ca,
            X500Name subject,
            KeyPair keys,
            Instant notBefore,
            Instant notAfter,
            KeyPurposeId purpose,
            boolean localhostNames)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                ca.certificate(), serial(), Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        builder.addExtension(
                Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
        if (localhostNames) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
        }
        X509Certificate certificate = certificate(builder.build(signer(ca.key())));
        return write(dir, name, certificate, keys.getPrivate());
    }

    private static Issued write(Path dir, String name, X509Certificate certificate, PrivateKey key) throws IOException {
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(certFile, pem(certificate));
        Files.deleteIfExists(keyFile);
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, pkcs8Pem(key));
        return new Issued(certificate, key, certFile, keyFile);
    }

    /** Concatenated PEM of several certificates (a CA bundle). */
    public static String bundle(Collection<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        certificates.forEach(c -> out.append(pem(c)));
        return out.toString();
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    }

    private static X509Certificate certificate(X509CertificateHolder holder) throws CertificateException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static BigInteger serial() {
        return new BigInteger(159, RANDOM);
    }
}
