package io.edgefleet.appliance.enrolment;

import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;

import java.util.List;

/** The refusals of enrolment and renewal. Their details say why, never echo a secret. */
final class EnrolmentProblems {

    private EnrolmentProblems() {}

    /** 401: the registration token cannot be used (unknown, expired, used up, revoked). */
    static ProblemException badToken(String detail) {
        return new ProblemException(
                401,
                "urn:edgefleet:problem:registration-token-refused",
                "Unauthorized",
                detail,
                List.of(new Problem.FieldError("token", detail)));
    }

    /** 401: the client certificate of a renewal does not identify an enrolled appliance. */
    static ProblemException badCertificate(String detail) {
        return new ProblemException(
                401,
                "urn:edgefleet:problem:client-certificate-refused",
                "Unauthorized",
                detail,
                List.of(new Problem.FieldError("clientCertificate", detail)));
    }

    /** 403: the token is for another uid. */
    static ProblemException otherUid() {
        String detail = "this registration token is issued for another uid";
        return new ProblemException(
                403,
                "urn:edgefleet:problem:registration-token-for-another-uid",
                "Forbidden",
                detail,
                List.of(new Problem.FieldError("uid", detail)));
    }

    /** 409: the appliance had a certificate; only a token issued for its uid may replace it. */
    static ProblemException reEnrolmentNeedsUidToken(String uid) {
        String detail =
                "appliance '" + uid + "' has (or had) a certificate: re-enrolment needs a registration token issued "
                        + "for uid '" + uid + "'";
        return new ProblemException(
                409,
                "urn:edgefleet:problem:re-enrolment-needs-uid-token",
                "Conflict",
                detail,
                List.of(new Problem.FieldError("token", detail)));
    }

    /** 403: the registration token must not cross the network in clear text. */
    static ProblemException tlsRequired() {
        String detail =
                "enrolment is served over HTTPS only (the edge port): a registration token must not cross the network in clear text";
        return new ProblemException(403, "urn:edgefleet:problem:tls-required", "Forbidden", detail, List.of());
    }
}
