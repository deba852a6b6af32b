package io.edgefleet.gateway.identity;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** PEM text of keys, certificates and CSRs, with the JDK alone. */
public final class Pem {

    private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {}

    public static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + MIME.encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    /** A private key as PKCS#8 ("PRIVATE KEY"), which OpenSSL, Mosquitto's tools and the JDK read. */
    public static String privateKey(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    public static String certificate(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a PKCS#8 private key (EC or RSA). */
    public static PrivateKey readPrivateKey(String pem) throws GeneralSecurityException {
        byte[] der = body(pem, "PRIVATE KEY");
        GeneralSecurityException last = null;
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Every certificate in the PEM text, in order. */
    public static List<X509Certificate> readCertificates(String pem) throws CertificateException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                .stream()
                .map(X509Certificate.class::cast)
                .toList();
    }

    public static X509Certificate readCertificate(String pem) throws CertificateException {
        List<X509Certificate> all = readCertificates(pem);
        if (all.isEmpty()) {
            throw new CertificateException("no certificate in the PEM text");
        }
        return all.get(0);
    }

    private static byte[] body(String pem, String label) throws GeneralSecurityException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new GeneralSecurityException("no " + label + " block (PKCS#8 PEM expected)");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }
}
