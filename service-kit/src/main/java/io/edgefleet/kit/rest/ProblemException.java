package io.edgefleet.kit.rest;

import java.util.List;

/** Thrown by services to answer with a problem response; nothing was changed when it is thrown. */
public class ProblemException extends RuntimeException {

    /** The one error of a request without the JSON body its operation needs. */
    static final Problem.FieldError MISSING_BODY = new Problem.FieldError("body", "a JSON body is required");

    private final int status;
    private final String type;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ProblemException(int status, String type, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException invalid(List<Problem.FieldError> errors) {
        String detail = errors.stream()
                .map(e -> e.field() + ": " + e.message())
                .reduce((a, b) -> a + "; " + b)
                .orElse("");
        return new ProblemException(400, "urn:edgefleet:problem:invalid-request", "Invalid request", detail, errors);
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    /** A 400 for a request without the JSON body its operation needs (see {@link Validator#requireBody}). */
    public static ProblemException missingBody() {
        return invalid(List.of(MISSING_BODY));
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(
                404, "urn:edgefleet:problem:not-found", "Not found", what + " '" + id + "' does not exist", List.of());
    }

    public static ProblemException conflict(String field, String detail) {
        return new ProblemException(
                409,
                "urn:edgefleet:problem:conflict",
                "Conflict",
                detail,
                field == null ? List.of() : List.of(new Problem.FieldError(field, detail)));
    }

    public int status() {
        return status;
    }

    public Problem toProblem(String instance) {
        return new Problem(
                type,
                title,
                status,
                getMessage(),
                instance,
                errors.isEmpty() ? null : errors.get(0).field(),
                errors.isEmpty() ? null : errors);
    }
}
