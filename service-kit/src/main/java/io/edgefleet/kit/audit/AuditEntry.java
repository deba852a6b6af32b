package io.edgefleet.kit.audit;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One write to the API, as the audit log keeps it (never a body, a query string or a token). */
@Schema(name = "AuditEntry", description = "A write a caller attempted, and how it ended")
public record AuditEntry(
        @Schema(required = true) long id,

        @Schema(required = true, description = "who: the token's principal (user name or client id)")
        String actor,

        @Schema(required = true, description = "the operation, e.g. createCluster", examples = "createCluster")
        String action,

        @Schema(required = true, examples = "POST") String method,

        @Schema(required = true, description = "the request path, ids included")
        String target,

        @Schema(required = true, description = "the HTTP status answered")
        int status,

        @Schema(required = true) Outcome outcome,

        @Schema(required = true, description = "the request's X-Request-Id (given by the caller, or made up)")
        String requestId,

        @Schema(required = true) Instant occurredAt) {

    /** How a write ended. */
    @Schema(name = "AuditOutcome")
    public enum Outcome {
        /** 2xx or 3xx */
        SUCCEEDED,
        /** 4xx: refused, nothing changed */
        REFUSED,
        /** 5xx */
        FAILED;

        static Outcome of(int status) {
            return status >= 500 ? FAILED : status >= 400 ? REFUSED : SUCCEEDED;
        }
    }
}
