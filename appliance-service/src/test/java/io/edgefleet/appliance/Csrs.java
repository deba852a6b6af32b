package io.edgefleet.appliance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.testsupport.EdgePki;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Certificate signing requests as a gateway makes them, and the broken ones an attacker would send. */
final class Csrs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Csrs() {}

    static KeyPair ec() {
        try {
            return EdgePki.ecKeys();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSR for {@code keys}, signed with them, asking for {@code subject}. */
    static String csr(KeyPair keys, String subject) {
        return pem(build(keys, keys, subject));
    }

    static String csr(KeyPair keys) {
        return csr(keys, "CN=gateway");
    }

    /** A CSR naming {@code claimed}'s public key but signed with {@code signer}'s private key: no proof of possession. */
    static String signedByAnother(KeyPair claimed, KeyPair signer) {
        return pem(build(claimed, signer, "CN=gateway"));
    }

    /** A well-formed CSR whose subject was changed after signing: the signature no longer verifies. */
    static String tampered(KeyPair keys) {
        byte[] der;
        try {
            der = build(keys, keys, "CN=tamper-me").getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] marker = "tamper-me".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + marker.length <= der.length; i++) {
            if (Arrays.equals(der, i, i + marker.length, marker, 0, marker.length)) {
                der[i] = 'T';
                return pem("CERTIFICATE REQUEST", der);
            }
        }
        throw new IllegalStateException("subject not found in the CSR");
    }

    private static PKCS10CertificationRequest build(KeyPair subjectKeys, KeyPair signer, String subject) {
        try {
            String algorithm = switch (signer.getPrivate().getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                default -> "Ed25519";
            };
            return new PKCS10CertificationRequestBuilder(
                            new X500Name(subject),
                            SubjectPublicKeyInfo.getInstance(
                                    subjectKeys.getPublic().getEncoded()))
                    .build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(PKCS10CertificationRequest csr) {
        try {
            return pem("CERTIFICATE REQUEST", csr.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A JSON object of the given fields in order (values null are left out). */
    static String json(Object... fieldsAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            if (fieldsAndValues[i + 1] != null) {
                body.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
            }
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String enrolment(String token, String uid, String csr) {
        return json("token", token, "uid", uid, "csr", csr);
    }
}
