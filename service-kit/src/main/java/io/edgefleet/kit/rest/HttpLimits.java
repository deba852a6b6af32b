package io.edgefleet.kit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;

/**
 * The API's limits on what a request may be, checked on arrival — before the body is read, before Quarkus' own
 * limits answer with an empty body — and refused as problems: a request target over
 * {@code edgefleet.api.max-uri-length} (414), headers over {@code edgefleet.api.max-header-bytes} (431), a declared
 * body over {@code edgefleet.api.max-body-bytes} at any size (413), a Content-Length that is not a number (400), and
 * a chunked body (411: every API body is small JSON; its length is known to any client).
 * Netty's own limits ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) are set far
 * above these so that it is this check that answers; a request beyond those, or one Netty cannot parse at all
 * (a control character in a header name), never reaches the router: {@link UnreadableRequests} answers it.
 */
@ApplicationScoped
public class HttpLimits {

    private static final String INVALID = "urn:edgefleet:problem:invalid-request";

    @ConfigProperty(name = "edgefleet.api.max-body-bytes", defaultValue = "65536")
    long maxBodyBytes;

    @ConfigProperty(name = "edgefleet.api.max-uri-length", defaultValue = "4096")
    int maxUriLength;

    @ConfigProperty(name = "edgefleet.api.max-header-bytes", defaultValue = "16384")
    int maxHeaderBytes;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        // before Quarkus' upload limit (ROUTE_ORDER_UPLOAD_LIMIT), which would answer 413 without a body
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path() == null ? "/" : request.path();
        String instance = path.length() > 256 ? path.substring(0, 256) : path;
        if (request.uri().length() > maxUriLength) {
            refuse(
                    ctx,
                    new Problem(
                            "urn:edgefleet:problem:uri-too-long",
                            "URI Too Long",
                            414,
                            "the request target is " + request.uri().length() + " characters; the limit is "
                                    + maxUriLength,
                            instance,
                            "uri",
                            List.of(new Problem.FieldError("uri", "must be at most " + maxUriLength + " characters"))));
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > maxHeaderBytes) {
            refuse(
                    ctx,
                    new Problem(
                            "urn:edgefleet:problem:headers-too-large",
                            "Request Header Fields Too Large",
                            431,
                            "the headers are " + headerBytes + " bytes; the limit is " + maxHeaderBytes,
                            instance,
                            "headers",
                            List.of(new Problem.FieldError(
                                    "headers", "must be at most " + maxHeaderBytes + " bytes"))));
            return;
        }
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        String transferEncoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
        if (declared == null && transferEncoding != null) {
            refuse(
                    ctx,
                    new Problem(
                            INVALID,
                            "Length Required",
                            411,
                            "send the body with a Content-Length (chunked bodies are not accepted)",
                            instance,
                            "Content-Length",
                            List.of(new Problem.FieldError("Content-Length", "is required with a body"))));
            return;
        }
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0) {
                refuse(
                        ctx,
                        new Problem(
                                INVALID,
                                "Invalid request",
                                400,
                                "Content-Length is not a number",
                                instance,
                                "Content-Length",
                                List.of(new Problem.FieldError("Content-Length", "is not a number"))));
                return;
            }
            if (length > maxBodyBytes) {
                refuse(
                        ctx,
                        new Problem(
                                "urn:edgefleet:problem:body-too-large",
                                "Payload Too Large",
                                413,
                                "the request body is " + length + " bytes; the limit is " + maxBodyBytes,
                                instance,
                                "body",
                                List.of(new Problem.FieldError("body", "must be at most " + maxBodyBytes + " bytes"))));
                return;
            }
        }
        ctx.next();
    }

    private void refuse(RoutingContext ctx, Problem problem) {
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // the body was not read: the connection cannot carry another request
        ctx.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
