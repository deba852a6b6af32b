package io.edgefleet.appliance.ca;

import io.edgefleet.kit.rest.ProblemException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.io.StringReader;
import java.util.Map;
import java.util.Set;

/**
 * Checks a certificate signing request from an appliance. Its signature proves that the sender holds the
 * private key (proof of possession); only its public key is used: the subject and any requested extensions
 * are ignored, the CA decides what the certificate says.
 */
public final class CertificateRequests {

    /** A CSR is about 1 KiB (RSA 4096: 2.5 KiB); anything much larger is not one. */
    public static final int MAX_PEM_CHARS = 16 * 1024;

    static final int MIN_RSA_BITS = 2048;
    /** Verifying bigger RSA keys costs more than any appliance needs to ask of an unauthenticated endpoint. */
    static final int MAX_RSA_BITS = 8192;

    private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384");
    /** SHA-2 signatures only: SHA-1 and MD5 are not accepted even as proof of possession. */
    private static final Set<ASN1ObjectIdentifier> SIGNATURES = Set.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512,
            PKCSObjectIdentifiers.sha256WithRSAEncryption,
            PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption,
            PKCSObjectIdentifiers.id_RSASSA_PSS);

    private CertificateRequests() {}

    /** A CSR whose signature verified, reduced to what the CA uses. {@code keyType} is e.g. "EC P-256" or "RSA 3072". */
    public record Verified(SubjectPublicKeyInfo publicKey, String keyType) {}

    /**
     * @param field the request field that carried the CSR, named in the problem
     * @throws ProblemException 400 naming {@code field} when the CSR is malformed, its key is not allowed or its
     *                          signature does not verify
     */
    public static Verified verify(String pem, String field) {
        if (pem == null || pem.isBlank()) {
            throw ProblemException.invalid(field, "is required (a PEM certificate signing request)");
        }
        if (pem.length() > MAX_PEM_CHARS) {
            throw ProblemException.invalid(field, "is longer than " + MAX_PEM_CHARS + " characters; it is not a CSR");
        }
        PKCS10CertificationRequest csr = parse(pem, field);
        SubjectPublicKeyInfo key = csr.getSubjectPublicKeyInfo();
        String keyType = keyType(key, field);
        if (!SIGNATURES.contains(csr.getSignatureAlgorithm().getAlgorithm())) {
            throw ProblemException.invalid(
                    field,
                    "is signed with "
                            + csr.getSignatureAlgorithm().getAlgorithm().getId()
                            + "; use ECDSA or RSA with SHA-256, SHA-384 or SHA-512");
        }
        boolean valid;
        try {
            // the JCA key (EC or RSA by name: the JDK's providers know no key factory by OID)
            valid = csr.isSignatureValid(
                    new JcaContentVerifierProviderBuilder().build(new JcaPEMKeyConverter().getPublicKey(key)));
        } catch (Exception e) {
            valid = false;
        }
        if (!valid) {
            throw ProblemException.invalid(
                    field,
                    "signature does not verify with the CSR's own public key "
                            + "(it must be signed with the private key it asks a certificate for)");
        }
        return new Verified(key, keyType);
    }

    private static PKCS10CertificationRequest parse(String pem, String field) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            if (o instanceof PKCS10CertificationRequest csr && parser.readObject() == null) {
                return csr;
            }
        } catch (Exception e) {
            // reported below, without echoing the input
        }
        throw ProblemException.invalid(
                field, "is not one PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST-----)");
    }

    /** EC on P-256 or P-384 (named curves), or RSA of 2048 to 8192 bits; anything else is refused. */
    static String keyType(SubjectPublicKeyInfo key, String field) {
        ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            var parameters = key.getAlgorithm().getParameters();
            String curve = parameters instanceof ASN1ObjectIdentifier oid ? CURVES.get(oid) : null;
            if (curve == null) {
                throw ProblemException.invalid(field, "has an EC key on a curve other than P-256 or P-384");
            }
            return "EC " + curve;
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            int bits;
            try {
                bits = RSAPublicKey.getInstance(ASN1Primitive.fromByteArray(
                                key.getPublicKeyData().getOctets()))
                        .getModulus()
                        .bitLength();
            } catch (Exception e) {
                throw ProblemException.invalid(field, "has a malformed RSA key");
            }
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw ProblemException.invalid(
                        field,
                        "has an RSA key of " + bits + " bits; RSA keys must have " + MIN_RSA_BITS + " to "
                                + MAX_RSA_BITS + " bits");
            }
            return "RSA " + bits;
        }
        throw ProblemException.invalid(
                field, "has a key of type " + algorithm.getId() + "; use EC P-256/P-384 or RSA >= 2048 bits");
    }
}
