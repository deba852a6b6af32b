package io.edgefleet.kit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
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
 *
 * <p>HTTP/2 has no chunked coding: a body without {@code content-length} is a stream of DATA frames whose size
 * nothing declares, so it passes this check; {@link BodyLimit} refuses it (413 problem) as soon as REST has read
 * more than {@code edgefleet.api.max-body-bytes} of it, long before Quarkus' own reader would answer a bare 413 at
 * {@code quarkus.http.limits.max-body-size}.
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
                refuse(ctx, bodyTooLarge(maxBodyBytes, "the request body is " + length + " bytes", instance));
                return;
            }
        }
        ctx.next();
    }

    /** The problem of a body over {@code limit} bytes (here and in {@link BodyLimit}). */
    static Problem bodyTooLarge(long limit, String size, String instance) {
        return new Problem(
                "urn:edgefleet:problem:body-too-large",
                "Payload Too Large",
                413,
                size + "; the limit is " + limit,
                instance,
                "body",
                List.of(new Problem.FieldError("body", "must be at most " + limit + " bytes")));
    }

    private void refuse(RoutingContext ctx, Problem problem) {
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpServerResponse response = ctx.response();
        response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            // the body was not read: the connection cannot carry another request. HTTP/2 forbids the header; there
            // the rest of the stream is read and dropped once the answer is out (Quarkus' ResumingRequestWrapper)
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body);
    }
}
