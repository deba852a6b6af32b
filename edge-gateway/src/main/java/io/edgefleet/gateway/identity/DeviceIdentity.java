package io.edgefleet.gateway.identity;

import io.edgefleet.events.EdgeTopics;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * The appliance's identity on the edge link: its certificate ({@code CN=<tenant>/<uid>}, edge CA), the private key
 * that never left the machine, where the broker is, and when to renew.
 *
 * @param enrolmentId which enrolment this pair descends from: a renewal keeps it, a (re-)enrolment makes a new one.
 *                    The first MQTT connection of each enrolment starts a clean session.
 * @param renewAfter  when to ask for the next certificate (2/3 of the life, as the enrolment answer says)
 */
public record DeviceIdentity(
        String tenant,
        String uid,
        X509Certificate certificate,
        PrivateKey key,
        Path certFile,
        Path keyFile,
        String mqttUrl,
        Instant renewAfter,
        String enrolmentId) {

    /** {@code <tenant>/<uid>}: the MQTT client id and user name the broker takes from the certificate. */
    public String identity() {
        return EdgeTopics.identity(tenant, uid);
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public boolean expired(Instant now) {
        return !now.isBefore(notAfter());
    }

    public String serial() {
        return certificate.getSerialNumber().toString(16);
    }

    /** 2/3 of the certificate's life, when nobody said otherwise. */
    static Instant defaultRenewAfter(X509Certificate certificate) {
        Instant from = certificate.getNotBefore().toInstant();
        Duration life = Duration.between(from, certificate.getNotAfter().toInstant());
        return from.plus(life.multipliedBy(2).dividedBy(3));
    }

    /** The certificate's {@code CN=<tenant>/<uid>}, parsed; null when the subject is not a device identity. */
    public static EdgeTopics.Address subjectOf(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return EdgeTopics.parseIdentity(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    @Override
    public String toString() { // never the key
        return identity() + " (certificate " + serial() + ", valid until " + notAfter() + ")";
    }
}
