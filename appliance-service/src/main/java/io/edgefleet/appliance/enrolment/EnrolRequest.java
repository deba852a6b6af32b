package io.edgefleet.appliance.enrolment;

import io.edgefleet.appliance.repository.Appliance;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /v1/enrollments}.
 *
 * @param token the registration token's secret ({@code eft_...})
 * @param uid   the appliance's uid (by default its /etc/machine-id)
 * @param csr   a PEM certificate signing request, signed with the appliance's new private key
 */
public record EnrolRequest(
        @Schema(required = true, description = "the registration token's secret (`eft_...`)")
        String token,

        @Schema(
                required = true,
                minLength = 1,
                maxLength = 64,
                pattern = "^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$",
                description = "the appliance's uid (by default its /etc/machine-id)")
        String uid,

        @Schema(
                required = true,
                maxLength = 16384,
                description =
                        "a PEM certificate signing request signed with the appliance's new key: EC P-256/P-384 or RSA 2048 to 8192 bits")
        String csr) {

    /**
     * Adds the problems of the body's shape (or its absence) to {@code v}; the CSR itself is checked by
     * {@link io.edgefleet.appliance.ca.CertificateRequests}.
     */
    static void check(EnrolRequest body, Validator v) {
        if (!v.requireBody(body)) {
            return;
        }
        v.require(
                body.token != null && !body.token.isEmpty(), "token", "is required (the registration token, eft_...)");
        Appliance.checkUid(body.uid, "uid", v);
        v.require(body.csr != null && !body.csr.isBlank(), "csr", "is required (a PEM certificate signing request)");
    }
}
