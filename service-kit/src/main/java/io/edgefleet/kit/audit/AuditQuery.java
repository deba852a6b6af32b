package io.edgefleet.kit.audit;

import io.edgefleet.kit.rest.PageQuery;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.Validator;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The filters of {@code GET /v1/audit} (a {@code @BeanParam}): every one optional, all of them combined; paged. */
public class AuditQuery extends PageQuery {

    @Parameter(description = "only writes by this principal (exact)")
    @QueryParam("actor")
    public String actor;

    @Parameter(description = "only this operation, e.g. deleteCluster (exact)")
    @QueryParam("action")
    public String action;

    @Parameter(description = "only writes whose path starts with this, e.g. /v1/clusters/c0a1")
    @QueryParam("target")
    public String target;

    @Parameter(
            description = "only writes that ended this way",
            schema = @Schema(implementation = AuditEntry.Outcome.class))
    @QueryParam("outcome")
    public String outcome;

    @Parameter(
            description = "only writes at or after this time (RFC 3339)",
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    @QueryParam("from")
    public String from;

    @Parameter(
            description = "only writes before this time (RFC 3339)",
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    @QueryParam("to")
    public String to;

    /** The filters, checked: every bad one named in one 400. */
    public Filters validated() {
        Validator v = new Validator();
        var outcomeFilter = QueryParams.enumValue(v, "outcome", outcome, AuditEntry.Outcome.class);
        Instant fromTime = instant(v, "from", from);
        Instant toTime = instant(v, "to", to);
        int pageNumber = page(v);
        int pageSize = size(v);
        checkText(v, "actor", actor, 256);
        checkText(v, "action", action, 128);
        checkText(v, "target", target, 2048);
        v.throwIfInvalid();
        return new Filters(
                text(actor), text(action), text(target), outcomeFilter, fromTime, toTime, pageNumber, pageSize);
    }

    /** Checked filters (null: no filter). */
    public record Filters(
            String actor,
            String action,
            String targetPrefix,
            AuditEntry.Outcome outcome,
            Instant from,
            Instant to,
            int page,
            int size) {}

    private static void checkText(Validator v, String field, String value, int max) {
        if (value != null) {
            v.require(value.length() <= max, field, "must be at most " + max + " characters");
            v.require(value.chars().noneMatch(c -> c < 0x20 || c == 0x7f), field, "must not hold control characters");
        }
    }

    private static Instant instant(Validator v, String field, String value) {
        if (text(value) == null) {
            return null;
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(value.trim());
            if (time.getYear() >= 1 && time.getYear() <= 9999) { // what PostgreSQL's timestamptz takes, and more
                return time.toInstant();
            }
        } catch (DateTimeParseException e) {
            // named below
        }
        v.require(false, field, "must be an RFC 3339 date-time from year 1 to 9999, e.g. 2026-12-06T08:00:00Z");
        return null;
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
