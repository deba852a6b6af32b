package io.edgefleet.appliance.certificates;

import java.time.Instant;

/** One certificate of an appliance as the API shows it (without the PEM: the appliance has that). */
public record CertificateView(
        String serial,
        ApplianceCertificate.Status status,
        Instant notBefore,
        Instant notAfter,
        Instant issuedAt,
        ApplianceCertificate.IssuedFor issuedFor,
        Instant revokedAt,
        RevocationReason reason) {

    static CertificateView of(ApplianceCertificate c, Instant now) {
        return new CertificateView(c.serial, c.status(now), c.notBefore, c.notAfter, c.issuedAt, c.issuedFor, c.revokedAt,
                c.revocationReason);
    }
}
