package io.edgefleet.gateway.identity;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

/** The appliance's key pairs (EC P-256, made here, never sent) and the PKCS#10 requests that prove it holds them. */
public final class DeviceKeys {

    private DeviceKeys() {}

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    /** A CSR signed with the pair's private key; its subject is a hint only (the edge CA sets the subject). */
    public static String csrPem(KeyPair keys, String uid) {
        try {
            var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + uid), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return Pem.encode("CERTIFICATE REQUEST", request.getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not build the certificate request", e);
        }
    }

    /** Whether {@code certificate} was issued for {@code key} (the answer must be about our own key). */
    public static boolean matches(X509Certificate certificate, PublicKey key) {
        PublicKey certified = certificate.getPublicKey();
        if (certified instanceof ECPublicKey a && key instanceof ECPublicKey b) {
            return a.getW().equals(b.getW())
                    && a.getParams().getCurve().equals(b.getParams().getCurve());
        }
        return Arrays.equals(certified.getEncoded(), key.getEncoded());
    }

    /** Whether {@code key} is the private half of the certificate's key (a signature made with it verifies). */
    public static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        try {
            String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] probe = "edgefleet key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
