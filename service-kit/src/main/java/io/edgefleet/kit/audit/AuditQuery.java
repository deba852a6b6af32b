package io.edgefleet.kit.audit;

import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.Validator;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The filters of {@code GET /v1/audit} (a {@code @BeanParam}): every one optional, all of them combined. */
public class AuditQuery {

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

    @Parameter(
            description = "page number, from 0",
            schema =
                    @Schema(
                            type = SchemaType.INTEGER,
                            format = "int32",
                            minimum = "0",
                            maximum = "1000000",
                            defaultValue = "0"))
    @QueryParam("page")
    public String page;

    @Parameter(
            description = "page size",
            schema =
                    @Schema(
                            type = SchemaType.INTEGER,
                            format = "int32",
                            minimum = "1",
                            maximum = "200",
                            defaultValue = "50"))
    @QueryParam("size")
    public String size;

    /** The filters, checked: every bad one named in one 400. */
    public Filters validated() {
        Validator v = new Validator();
        var outcomeFilter = QueryParams.enumValue(v, "outcome", outcome, AuditEntry.Outcome.class);
        Instant fromTime = instant(v, "from", from);
        Instant toTime = instant(v, "to", to);
        int pageNumber = QueryParams.intValue(v, "page", page, 0, 0, 1_000_000);
        int pageSize = QueryParams.intValue(v, "size", size, 50, 1, 200);
        v.require(text(actor) == null || actor.length() <= 256, "actor", "must be at most 256 characters");
        v.require(text(action) == null || action.length() <= 128, "action", "must be at most 128 characters");
        v.require(text(target) == null || target.length() <= 2048, "target", "must be at most 2048 characters");
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

    private static Instant instant(Validator v, String field, String value) {
        if (text(value) == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            v.require(false, field, "must be an RFC 3339 date-time, e.g. 2026-12-06T08:00:00Z");
            return null;
        }
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
