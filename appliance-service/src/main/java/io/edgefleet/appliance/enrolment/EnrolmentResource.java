package io.edgefleet.appliance.enrolment;

import io.edgefleet.appliance.ca.CertificateRequests;
import io.edgefleet.appliance.ca.EdgeCa;
import io.edgefleet.appliance.config.ApplianceConfig;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/**
 * Where gateways get their certificates (docs/edge-link.md). No bearer token: an enrolment proves a registration
 * token, a renewal the current client certificate of its TLS connection (the edge HTTPS port, client auth
 * "request").
 */
@Path("/v1/enrollments")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "enrolment", description = "Appliance certificates for the edge link; served on the edge HTTPS port")
@APIResponse(responseCode = "400", description = "Invalid input (a malformed CSR, a key that is not allowed); `field` names it",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "No edge CA is configured",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class EnrolmentResource {

    @Inject
    EnrolmentService enrolments;
    @Inject
    EdgeCa ca;
    @Inject
    ApplianceConfig config;

    @POST
    @Operation(summary = "Enrol an appliance: a registration token and a CSR give it a certificate `CN=<tenant>/<uid>`")
    @APIResponse(responseCode = "201", description = "Enrolled (an unknown uid is registered on the spot)",
            content = @Content(schema = @Schema(implementation = EnrolmentAnswer.class)))
    @APIResponse(responseCode = "401", description = "The registration token is unknown, expired, used up or revoked",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The token is issued for another uid, or the request came without TLS",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The appliance has (or had) a certificate: re-enrolment needs a token issued for its uid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> enrol(EnrolRequest body, @Context HttpServerRequest request) {
        ca.requireConfigured();
        if (config.enrolment().requireTls() && !request.isSSL()) {
            throw EnrolmentProblems.tlsRequired();
        }
        if (body == null) {
            throw ProblemException.invalid("body", "a JSON body is required");
        }
        body.validate();
        CertificateRequests.Verified csr = CertificateRequests.verify(body.csr(), "csr");
        return enrolments.enrol(body.token(), body.uid(), csr).map(answer -> Response.status(201).entity(answer).build());
    }

    @POST
    @Path("/renewal")
    @Operation(summary = "Renew the certificate presented as TLS client certificate; the old one stays valid until it expires")
    @APIResponse(responseCode = "201", description = "The next certificate",
            content = @Content(schema = @Schema(implementation = EnrolmentAnswer.class)))
    @APIResponse(responseCode = "401", description = "No client certificate, or one that is expired, revoked, unknown or of a deleted appliance",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> renew(RenewRequest body, @Context HttpServerRequest request) {
        ca.requireConfigured();
        // who it is comes first: a stranger learns nothing about the body
        var presented = ClientCertificates.identify(ClientCertificates.of(request), ca, Instant.now());
        if (body == null) {
            throw ProblemException.invalid("body", "a JSON body is required");
        }
        CertificateRequests.Verified csr = CertificateRequests.verify(body.csr(), "csr");
        return enrolments.renew(presented, csr).map(answer -> Response.status(201).entity(answer).build());
    }
}
