package io.edgefleet.appliance.rest;

import io.edgefleet.appliance.certificates.ApplianceCertificate;
import io.edgefleet.appliance.certificates.RevocationReason;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One certificate of an appliance as the API shows it (without the PEM: the appliance has that). */
public record CertificateView(
        @Schema(required = true, description = "lower-case hex")
        String serial,

        @Schema(required = true) ApplianceCertificate.Status status,
        @Schema(required = true) Instant notBefore,
        @Schema(required = true) Instant notAfter,
        @Schema(required = true) Instant issuedAt,
        @Schema(required = true) ApplianceCertificate.IssuedFor issuedFor,

        @Schema(nullable = true, description = "null unless REVOKED")
        Instant revokedAt,

        @Schema(nullable = true, description = "null unless REVOKED")
        RevocationReason reason) {

    static CertificateView of(ApplianceCertificate c, Instant now) {
        return new CertificateView(
                c.serial,
                c.status(now),
                c.notBefore,
                c.notAfter,
                c.issuedAt,
                c.issuedFor,
                c.revokedAt,
                c.revocationReason);
    }
}
