package io.edgefleet.appliance.enrolment;

import io.edgefleet.appliance.ca.EdgeCa;
import io.edgefleet.events.EdgeTopics;
import io.vertx.core.http.HttpServerRequest;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

/**
 * Who a renewal comes from: the client certificate of the TLS connection. The TLS layer already checked it against
 * the edge CA (trust store); this checks again, independently of how the listener is configured, and reads the
 * identity from the CN. Revocation and the appliance's existence are checked against the database by the caller.
 */
final class ClientCertificates {

    private ClientCertificates() {}

    /** The identity a certificate carries, and its serial (lower-case hex). */
    record Presented(String tenant, String uid, String serialHex) {}

    /** The verified peer certificate of {@code request}, or 401. */
    static X509Certificate of(HttpServerRequest request) {
        if (!request.isSSL()) {
            throw EnrolmentProblems.badCertificate(
                    "renewal needs the current client certificate over TLS (the edge HTTPS port)");
        }
        SSLSession session = request.sslSession();
        try {
            Certificate[] chain = session == null ? null : session.getPeerCertificates();
            if (chain != null && chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
                return certificate;
            }
        } catch (SSLPeerUnverifiedException e) {
            // no certificate: below
        }
        throw EnrolmentProblems.badCertificate(
                "no client certificate: renewal needs the appliance's current certificate");
    }

    /** Checks that the edge CA signed {@code certificate}, that it is valid now, and that its CN is a device identity. */
    static Presented identify(X509Certificate certificate, EdgeCa ca, Instant now) {
        if (!ca.signed(certificate)) {
            throw EnrolmentProblems.badCertificate("the client certificate was not issued by the edge CA");
        }
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw EnrolmentProblems.badCertificate("the client certificate expired at "
                    + certificate.getNotAfter().toInstant()
                    + ": enrol again with a registration token issued for this uid");
        } catch (CertificateNotYetValidException e) {
            throw EnrolmentProblems.badCertificate("the client certificate is not valid before "
                    + certificate.getNotBefore().toInstant());
        }
        EdgeTopics.Address identity = EdgeTopics.parseIdentity(commonName(certificate));
        if (identity == null) {
            throw EnrolmentProblems.badCertificate(
                    "the client certificate does not name an appliance (CN=<tenant>/<uid>)");
        }
        return new Presented(identity.tenant(), identity.uid(), EdgeCa.hex(certificate.getSerialNumber()));
    }

    /** The only CN of the subject, or null. */
    static String commonName(X509Certificate certificate) {
        RDN[] cns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())
                .getRDNs(BCStyle.CN);
        if (cns.length != 1 || cns[0].isMultiValued() || !(cns[0].getFirst().getValue() instanceof ASN1String value)) {
            return null;
        }
        return value.getString();
    }
}
