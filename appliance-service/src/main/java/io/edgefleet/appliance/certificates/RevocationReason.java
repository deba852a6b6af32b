package io.edgefleet.appliance.certificates;

import org.bouncycastle.asn1.x509.CRLReason;

/** Why a certificate was revoked, and the RFC 5280 reason code the CRL gives for it. */
public enum RevocationReason {
    /** A re-enrolment replaced it (reimaged or replaced machine). */
    SUPERSEDED(CRLReason.superseded),
    /** An operator revoked the appliance's certificates. */
    REVOKED(CRLReason.unspecified),
    /** The appliance was deleted. */
    APPLIANCE_DELETED(CRLReason.cessationOfOperation);

    private final int crlReason;

    RevocationReason(int crlReason) {
        this.crlReason = crlReason;
    }

    public int crlReason() {
        return crlReason;
    }
}
