package io.edgefleet.appliance.enrolment;

import io.edgefleet.appliance.rest.RegisterAppliance;
import io.edgefleet.kit.rest.Validator;

/**
 * Body of {@code POST /v1/enrollments}.
 *
 * @param token the registration token's secret ({@code eft_...})
 * @param uid   the appliance's uid (by default its /etc/machine-id)
 * @param csr   a PEM certificate signing request, signed with the appliance's new private key
 */
public record EnrolRequest(String token, String uid, String csr) {

    /** Shape only; the CSR itself is checked by {@link io.edgefleet.appliance.ca.CertificateRequests}. */
    void validate() {
        Validator v = new Validator();
        v.require(token != null && !token.isEmpty(), "token", "is required (the registration token, eft_...)");
        v.text(uid, "uid", 1, 64, RegisterAppliance.UID,
                "may contain only letters, digits, '.', '_' and '-', and must start and end with a letter or digit");
        v.require(csr != null && !csr.isBlank(), "csr", "is required (a PEM certificate signing request)");
        v.throwIfInvalid();
    }
}
