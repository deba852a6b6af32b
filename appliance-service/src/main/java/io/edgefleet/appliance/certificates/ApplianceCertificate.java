package io.edgefleet.appliance.certificates;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A certificate the edge CA issued to an appliance. Rows are never deleted (the CRL needs revoked ones). */
@Entity
@Table(name = "appliance_certificate")
public class ApplianceCertificate extends PanacheEntityBase {

    /** What a certificate was issued for. */
    @Schema(name = "CertificateIssuedFor")
    public enum IssuedFor {
        ENROLMENT,
        RENEWAL
    }

    /** A certificate's state as the API shows it; REVOKED wins over EXPIRED. */
    @Schema(name = "CertificateStatus")
    public enum Status {
        ACTIVE,
        REVOKED,
        EXPIRED
    }

    @Id
    public UUID id;

    public String tenant;
    public String uid;

    @Column(name = "appliance_id")
    public UUID applianceId;
    /** Lower-case hex, as {@link io.edgefleet.appliance.ca.EdgeCa#hex}. */
    public String serial;

    @Column(name = "not_before")
    public Instant notBefore;

    @Column(name = "not_after")
    public Instant notAfter;

    @Column(name = "issued_at")
    public Instant issuedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "issued_for")
    public IssuedFor issuedFor;

    @Column(name = "token_id")
    public UUID tokenId;
    /** PEM; public. */
    public String certificate;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "revocation_reason")
    public RevocationReason revocationReason;

    public Status status(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        return notAfter.isAfter(now) ? Status.ACTIVE : Status.EXPIRED;
    }
}
