package io.edgefleet.appliance.enrolment;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /v1/enrollments/renewal}, sent with the current client certificate.
 *
 * @param csr a PEM certificate signing request for the next certificate (a new key is best)
 */
public record RenewRequest(
        @Schema(
                required = true,
                maxLength = 16384,
                description = "a PEM certificate signing request for the next certificate (a new key is best)")
        String csr) {}
