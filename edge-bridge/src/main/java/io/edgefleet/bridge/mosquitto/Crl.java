package io.edgefleet.bridge.mosquitto;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A certificate revocation list and the checks it must pass before Mosquitto may use it. OpenSSL refuses every client
 * certificate when the CRL is expired or not signed by the CA (verified with Mosquitto 2.0.11), so a bad CRL would
 * lock out every device: only one signed by the edge CA, not expired, and newer than the installed one is installed.
 */
record Crl(X509CRL crl) {

    private static final String CRL_NUMBER = "2.5.29.20";
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** Parses PEM or DER. @throws GeneralSecurityException when it is no CRL */
    static Crl parse(byte[] encoded) throws GeneralSecurityException {
        try {
            return new Crl(
                    (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(encoded)));
        } catch (RuntimeException e) { // the JDK's parser also fails with unchecked exceptions on garbage
            throw new GeneralSecurityException("not a CRL: " + e.getMessage(), e);
        }
    }

    /** Signed by one of {@code issuers} (whose subject is the CRL's issuer). @throws GeneralSecurityException otherwise */
    void verifySignature(List<X509Certificate> issuers) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (X509Certificate ca : issuers) {
            if (!ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                continue;
            }
            try {
                crl.verify(ca.getPublicKey());
                return;
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException(
                "not signed by the edge CA (issuer "
                        + crl.getIssuerX500Principal().getName() + ")",
                last);
    }

    /** @throws GeneralSecurityException when it is expired, has no expiry, or claims to come from the future */
    void verifyCurrent(Instant now) throws GeneralSecurityException {
        if (crl.getNextUpdate() == null) {
            throw new GeneralSecurityException("the CRL has no nextUpdate");
        }
        if (!crl.getNextUpdate().toInstant().isAfter(now)) {
            throw new GeneralSecurityException(
                    "the CRL expired at " + crl.getNextUpdate().toInstant());
        }
        if (crl.getThisUpdate().toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw new GeneralSecurityException(
                    "the CRL is dated in the future: " + crl.getThisUpdate().toInstant());
        }
    }

    /**
     * Whether this CRL replaces {@code installed}: a higher CRL number, or the same number (or none on either side)
     * issued later. A lower number is an old CRL served again and never replaces a newer one.
     */
    boolean newerThan(Crl installed) {
        if (installed == null) {
            return true;
        }
        BigInteger mine = number();
        BigInteger theirs = installed.number();
        if (mine != null && theirs != null && mine.compareTo(theirs) != 0) {
            return mine.compareTo(theirs) > 0;
        }
        return thisUpdate().isAfter(installed.thisUpdate());
    }

    /** The CRL number extension, or null. */
    BigInteger number() {
        byte[] extension = crl.getExtensionValue(CRL_NUMBER);
        return extension == null ? null : integerInOctetString(extension);
    }

    Instant thisUpdate() {
        return crl.getThisUpdate().toInstant();
    }

    Instant nextUpdate() {
        return crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
    }

    int entries() {
        return crl.getRevokedCertificates() == null
                ? 0
                : crl.getRevokedCertificates().size();
    }

    /** PEM, the form Mosquitto's {@code crlfile} takes. */
    String pem() {
        try {
            return "-----BEGIN X509 CRL-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(crl.getEncoded())
                    + "\n-----END X509 CRL-----\n";
        } catch (CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "CRL #" + number() + " of " + thisUpdate() + " (" + entries() + " revoked, next update " + nextUpdate()
                + ")";
    }

    /** An extension value as the JDK returns it: an OCTET STRING wrapping the DER INTEGER. */
    static BigInteger integerInOctetString(byte[] der) {
        int[] at = {0};
        expect(der, at, 0x04);
        int end = length(der, at) + at[0];
        expect(der, at, 0x02);
        int length = length(der, at);
        if (at[0] + length > end || end > der.length) {
            throw new IllegalArgumentException("truncated CRL number");
        }
        byte[] value = new byte[length];
        System.arraycopy(der, at[0], value, 0, length);
        return new BigInteger(value);
    }

    private static void expect(byte[] der, int[] at, int tag) {
        if (at[0] >= der.length || (der[at[0]++] & 0xff) != tag) {
            throw new IllegalArgumentException("unexpected DER tag in the CRL number");
        }
    }

    private static int length(byte[] der, int[] at) {
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int octets = first & 0x7f;
        if (octets > 3) {
            throw new IllegalArgumentException("DER length too long");
        }
        int length = 0;
        for (int i = 0; i < octets; i++) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        return length;
    }
}
