package io.edgefleet.kit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.stream.Collectors;

/** Every error leaves the service as RFC 9457 problem details; no stack trace or internal message leaks. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.toProblem(path(uri)));
    }

    @ServerExceptionMapper
    public Response bodyTooLarge(BodyLimit.TooLarge e, UriInfo uri) {
        return respond(e.toProblem(path(uri)));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(jsonProblem(e, path(uri)));
    }

    // Quarkus REST ships its own mappers for these two; more specific types win, so name them here
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        return respond(jsonProblem(e, path(uri)));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return respond(jsonProblem(e, path(uri)));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response authenticationIncomplete(AuthenticationCompletionException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(new Problem(
                "urn:edgefleet:problem:forbidden",
                "Forbidden",
                403,
                "your role does not allow this operation",
                path(uri),
                null,
                null));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) { // a body the JSON reader rejected
            return respond(jsonProblem(json, path(uri)));
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.StatusType info = e.getResponse().getStatusInfo();
        String detail = status == 404 ? "no resource at this path" : info.getReasonPhrase();
        return respond(new Problem("about:blank", info.getReasonPhrase(), status, detail, path(uri), null, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.error("request failed", e);
        return respond(new Problem(
                "about:blank",
                "Internal Server Error",
                500,
                "the request could not be completed; it is safe to retry",
                path(uri),
                null,
                null));
    }

    private Response unauthenticated(UriInfo uri) {
        return Response.fromResponse(respond(new Problem(
                        "urn:edgefleet:problem:unauthenticated",
                        "Unauthorized",
                        401,
                        "a valid bearer token is required",
                        path(uri),
                        null,
                        null)))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    static Problem jsonProblem(JsonProcessingException e, String instance) {
        String field = "body";
        String message;
        if (e instanceof UnrecognizedPropertyException unknown) {
            field = fieldPath(unknown.getPath(), unknown.getPropertyName());
            message = "is not a known field";
        } else if (e instanceof InvalidFormatException invalid) {
            field = fieldPath(invalid.getPath(), null);
            message = "has the wrong format or type";
        } else if (e instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            field = fieldPath(mismatch.getPath(), null);
            message = "has the wrong type";
        } else if (e instanceof JsonMappingException mapping
                && !mapping.getPath().isEmpty()) {
            field = fieldPath(mapping.getPath(), null);
            message = "is invalid";
        } else if (e instanceof InputCoercionException range
                && range.getProcessor() != null
                && range.getProcessor().getParsingContext().getCurrentName() != null) {
            // a number beyond its type (20 digits for a long): Jackson reports it with no path, only the parser knows
            field = range.getProcessor().getParsingContext().getCurrentName();
            message = "is out of range";
        } else {
            message = "is not well-formed JSON of the expected shape";
        }
        return new Problem(
                "urn:edgefleet:problem:invalid-request",
                "Invalid request",
                400,
                field + ": " + message,
                instance,
                field,
                List.of(new Problem.FieldError(field, message)));
    }

    private static String fieldPath(List<JsonMappingException.Reference> path, String last) {
        String joined = path.stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        if (last != null && !joined.endsWith(last)) {
            joined = joined.isEmpty() ? last : joined + "." + last;
        }
        return joined.isEmpty() ? "body" : joined;
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }
}
