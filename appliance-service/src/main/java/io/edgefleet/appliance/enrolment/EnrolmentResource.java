package io.edgefleet.appliance.enrolment;

import io.edgefleet.appliance.ca.CertificateRequests;
import io.edgefleet.appliance.ca.EdgeCa;
import io.edgefleet.appliance.config.ApplianceConfig;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;
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
public class EnrolmentResource {

    static final String INVALID = "Invalid input (a missing field, a malformed uid or CSR, a key that is not allowed): "
            + "`field` names the first problem, `errors` lists every one";
    static final String NO_CA = "No edge CA is configured";
    static final String TOO_LARGE = "The body is larger than the API's limit (64 KiB)";

    @Inject
    EnrolmentService enrolments;

    @Inject
    EdgeCa ca;

    @Inject
    ApplianceConfig config;

    @POST
    @Operation(summary = "Enrol an appliance: a registration token and a CSR give it a certificate `CN=<tenant>/<uid>`")
    @APIResponse(
            responseCode = "201",
            description = "Enrolled (an unknown uid is registered on the spot)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = EnrolmentAnswer.class)))
    @APIResponse(responseCode = "400", description = INVALID)
    @APIResponse(responseCode = "401", description = "The registration token is unknown, expired, used up or revoked")
    @APIResponse(
            responseCode = "403",
            description = "The token is issued for another uid, or the request came without TLS")
    @APIResponse(
            responseCode = "409",
            description = "The appliance has (or had) a certificate: re-enrolment needs a token issued for its uid")
    @APIResponse(responseCode = "413", description = TOO_LARGE)
    @APIResponse(responseCode = "503", description = NO_CA)
    public Uni<Response> enrolAppliance(EnrolRequest body, @Context HttpServerRequest request) {
        ca.requireConfigured();
        if (config.enrolment().requireTls() && !request.isSSL()) {
            throw EnrolmentProblems.tlsRequired();
        }
        // the body's shape and its CSR are checked together: one answer lists every problem
        Validator v = new Validator();
        EnrolRequest.check(body, v);
        CertificateRequests.Verified csr =
                body == null || body.csr() == null || body.csr().isBlank()
                        ? null
                        : v.collect(() -> CertificateRequests.verify(body.csr(), "csr"));
        v.throwIfInvalid();
        return enrolments
                .enrol(body.token(), body.uid(), csr)
                .map(answer -> Response.status(201).entity(answer).build());
    }

    @POST
    @Path("/renewal")
    @Operation(
            summary =
                    "Renew the certificate presented as TLS client certificate; the old one stays valid until it expires")
    @APIResponse(
            responseCode = "201",
            description = "The next certificate",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = EnrolmentAnswer.class)))
    @APIResponse(responseCode = "400", description = INVALID)
    @APIResponse(
            responseCode = "401",
            description = "No client certificate, or one that is expired, revoked, unknown or of a deleted appliance")
    @APIResponse(responseCode = "413", description = TOO_LARGE)
    @APIResponse(responseCode = "503", description = NO_CA)
    public Uni<Response> renewApplianceCertificate(RenewRequest body, @Context HttpServerRequest request) {
        ca.requireConfigured();
        // who it is comes first: a stranger learns nothing about the body
        var presented = ClientCertificates.identify(ClientCertificates.of(request), ca, Instant.now());
        if (body == null) {
            throw ProblemException.missingBody();
        }
        CertificateRequests.Verified csr = CertificateRequests.verify(body.csr(), "csr");
        return enrolments
                .renew(presented, csr)
                .map(answer -> Response.status(201).entity(answer).build());
    }
}
