package io.edgefleet.appliance.ca;

import io.edgefleet.appliance.config.ApplianceConfig;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.kit.rest.ProblemException;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/**
 * The edge CA: signs device certificates ({@code CN=<tenant>/<uid>}, clientAuth) and the CRL. Its certificate and
 * key come from files ({@code appliance.enrolment.ca-cert-file}, {@code ca-key-file}), read once at start; a broken
 * pair stops the service, an unconfigured one only disables enrolment (503).
 */
@Startup
@ApplicationScoped
public class EdgeCa {

    private static final Logger LOG = Logger.getLogger(EdgeCa.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Device certificates start a little in the past: appliance clocks drift. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    static final Duration CRL_VALIDITY = Duration.ofDays(7);

    @Inject
    ApplianceConfig config;

    private X509Certificate certificate;
    private PrivateKey key;
    private String signatureAlgorithm;
    private String pem;

    /** A certificate just signed. */
    public record Issued(
            X509Certificate certificate, String serialHex, Instant notBefore, Instant notAfter, String pem) {}

    /** One entry of the CRL. */
    public record Revoked(String serialHex, Instant revokedAt, int reasonCode) {}

    @PostConstruct
    void load() {
        var enrolment = config.enrolment();
        if (enrolment.caCertFile().isEmpty() || enrolment.caKeyFile().isEmpty()) {
            LOG.warn(
                    "no edge CA configured (appliance.enrolment.ca-cert-file, ca-key-file): enrolment, renewal and the "
                            + "CA documents answer 503");
            return;
        }
        Path certFile = enrolment.caCertFile().get();
        Path keyFile = enrolment.caKeyFile().get();
        try {
            String certText = Files.readString(certFile);
            List<X509Certificate> chain = Pem.certificates(certText);
            if (chain.isEmpty()) {
                throw new IllegalStateException("no certificate in " + certFile);
            }
            X509Certificate ca = chain.get(0);
            PrivateKey caKey = Pem.privateKey(Files.readString(keyFile));
            check(ca, caKey);
            certificate = ca;
            key = caKey;
            signatureAlgorithm = signatureAlgorithm(caKey);
            pem = Pem.write(ca);
            for (X509Certificate more : chain.subList(1, chain.size())) {
                pem += Pem.write(more); // the rest of the chain, for verifiers of an intermediate edge CA
            }
            Instant expires = ca.getNotAfter().toInstant();
            LOG.infof(
                    "edge CA '%s' loaded (valid until %s)",
                    ca.getSubjectX500Principal().getName(), expires);
            if (expires.isBefore(Instant.now().plus(enrolment.certificateValidity()))) {
                LOG.warnf(
                        "the edge CA expires at %s, before a new device certificate would: device certificates end then",
                        expires);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot use the edge CA (" + certFile + ", " + keyFile + "): " + e.getMessage(), e);
        }
    }

    /** Refuses CA certificates that cannot sign certificates and CRLs, and a key of another certificate. */
    private static void check(X509Certificate ca, PrivateKey caKey) throws GeneralSecurityException {
        if (ca.getBasicConstraints() < 0) {
            throw new GeneralSecurityException("the certificate is not a CA certificate (basicConstraints CA:false)");
        }
        boolean[] usage = ca.getKeyUsage();
        if (usage != null && !(usage[5] && usage[6])) {
            throw new GeneralSecurityException("the CA certificate's key usage lacks keyCertSign or cRLSign");
        }
        byte[] probe = new byte[32];
        RANDOM.nextBytes(probe);
        String algorithm = signatureAlgorithm(caKey);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(caKey);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(ca.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the key does not belong to the CA certificate");
        }
    }

    private static String signatureAlgorithm(PrivateKey key) throws GeneralSecurityException {
        if (key instanceof ECKey ec) {
            return ec.getParams().getOrder().bitLength() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        if (key instanceof RSAKey) {
            return "SHA256withRSA";
        }
        throw new GeneralSecurityException("the CA key must be EC or RSA, not " + key.getAlgorithm());
    }

    public boolean configured() {
        return certificate != null;
    }

    /** @throws ProblemException 503 when no edge CA is configured */
    public void requireConfigured() {
        if (!configured()) {
            throw new ProblemException(
                    503,
                    "urn:edgefleet:problem:enrolment-unavailable",
                    "Service Unavailable",
                    "this service has no edge CA configured: enrolment is not available",
                    List.of());
        }
    }

    public X509Certificate certificate() {
        requireConfigured();
        return certificate;
    }

    /** The CA certificate (and the rest of its chain, if the file has one) as PEM. */
    public String pem() {
        requireConfigured();
        return pem;
    }

    /** Whether the edge CA signed {@code presented} (whatever the TLS layer trusted). */
    public boolean signed(X509Certificate presented) {
        requireConfigured();
        try {
            if (!presented.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
                return false;
            }
            presented.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Signs a device certificate for {@code tenant/uid} over {@code publicKey}: random positive 159-bit serial,
     * notBefore a few minutes back, notAfter after the configured validity (never past the CA's own notAfter),
     * CA:false, digitalSignature, clientAuth, AKI/SKI.
     */
    public Issued issue(String tenant, String uid, SubjectPublicKeyInfo publicKey, Instant now) {
        requireConfigured();
        String identity = EdgeTopics.identity(tenant, uid); // both are valid edge names, or this throws
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, identity)
                .build();
        Instant notBefore = now.minus(BACKDATE).truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.plus(config.enrolment().certificateValidity()).truncatedTo(ChronoUnit.SECONDS);
        Instant caNotAfter = certificate.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        BigInteger serial = new BigInteger(159, RANDOM).setBit(158); // always 20 bytes DER, positive, 158 random bits
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    issuer(), serial, Date.from(notBefore), Date.from(notAfter), subject, publicKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey));
            X509CertificateHolder holder = builder.build(signer());
            X509Certificate issued = new JcaX509CertificateConverter().getCertificate(holder);
            return new Issued(issued, hex(serial), notBefore, notAfter, Pem.write(issued));
        } catch (Exception e) {
            throw new IllegalStateException("the edge CA could not sign a certificate for " + identity, e);
        }
    }

    /** The CRL: signed now, valid for 7 days, numbered {@code number}, listing {@code revoked}. */
    public String crl(List<Revoked> revoked, long number, Instant now) {
        requireConfigured();
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer(), Date.from(now));
            builder.setNextUpdate(Date.from(now.plus(CRL_VALIDITY)));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            for (Revoked entry : revoked) {
                builder.addCRLEntry(
                        new BigInteger(entry.serialHex(), 16), Date.from(entry.revokedAt()), entry.reasonCode());
            }
            X509CRLHolder crl = builder.build(signer());
            return Pem.write(crl);
        } catch (Exception e) {
            throw new IllegalStateException("the edge CA could not sign its CRL", e);
        }
    }

    private X500Name issuer() throws GeneralSecurityException {
        return new JcaX509CertificateHolder(certificate).getSubject();
    }

    private ContentSigner signer() throws Exception {
        return new JcaContentSignerBuilder(signatureAlgorithm).build(key);
    }

    /** How serials are written everywhere (database, API, events): lower-case hex without leading zeros. */
    public static String hex(BigInteger serial) {
        return serial.toString(16);
    }
}
