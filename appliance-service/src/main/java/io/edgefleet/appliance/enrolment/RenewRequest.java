package io.edgefleet.appliance.enrolment;

/**
 * Body of {@code POST /v1/enrollments/renewal}, sent with the current client certificate.
 *
 * @param csr a PEM certificate signing request for the next certificate (a new key is best)
 */
public record RenewRequest(String csr) {
}
