package io.edgefleet.kit.rest;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;

/**
 * Refuses declared bodies above the API limit with a problem response before anything is read.
 * (Bodies without a Content-Length are capped by {@code quarkus.http.limits.max-body-size}.)
 */
public class BodySizeLimit {

    @ConfigProperty(name = "edgefleet.api.max-body-bytes", defaultValue = "65536")
    long maxBodyBytes;

    @ServerRequestFilter(preMatching = true)
    public Response check(HttpServerRequest request, UriInfo uri) {
        String declared = request.getHeader("Content-Length");
        if (declared == null) {
            return null;
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return ProblemMappers.respond(new Problem("urn:edgefleet:problem:invalid-request", "Invalid request", 400,
                    "Content-Length is not a number", uri.getRequestUri().getRawPath(), "Content-Length",
                    List.of(new Problem.FieldError("Content-Length", "is not a number"))));
        }
        if (length <= maxBodyBytes) {
            return null;
        }
        return ProblemMappers.respond(new Problem("urn:edgefleet:problem:body-too-large", "Payload Too Large", 413,
                "the request body is " + length + " bytes; the limit is " + maxBodyBytes, uri.getRequestUri().getRawPath(),
                "body", List.of(new Problem.FieldError("body", "must be at most " + maxBodyBytes + " bytes"))));
    }
}
