package io.edgefleet.appliance.certificates;

import io.edgefleet.appliance.ca.EdgeCa;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/**
 * The edge CA's public documents, as any CA publishes them: its certificate and its CRL. No authentication; the
 * CRL is signed by the CA, so whoever fetches it checks it against {@code ca.pem} (the bridge does).
 */
@Path("/v1/certificate-authority")
@PermitAll
@Tag(name = "certificate authority", description = "The edge CA's public certificate and CRL")
public class CertificateAuthorityResource {

    /** PEM certificate chain (RFC 8555, section 9.1). */
    public static final String PEM_CHAIN = "application/pem-certificate-chain";
    /** PEM of anything else; there is no registered type for a PEM CRL ({@code application/pkix-crl} is DER). */
    public static final String PEM_FILE = "application/x-pem-file";

    @Inject
    EdgeCa ca;

    @Inject
    CrlIssuer crls;

    /**
     * {@code application/pem-certificate-chain} unless the client asks for {@code application/x-pem-file} (the type
     * the API document names for every PEM download, so a generated client reads both documents the same way).
     * The document calls them {@code format: binary}: a generated Java client (java/native) reads any other string
     * body as JSON, which a PEM is not; with binary it hands over the bytes (a file).
     */
    @GET
    @Path("/ca.pem")
    @Produces({PEM_CHAIN, PEM_FILE})
    @Operation(summary = "The edge CA certificate (PEM; the rest of its chain after it, if it has one)")
    @APIResponse(
            responseCode = "200",
            description = "The CA certificate",
            content = @Content(mediaType = PEM_FILE, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "503", description = "No edge CA is configured")
    public Response getEdgeCaCertificate(@Context HttpHeaders headers) {
        String pem = ca.pem();
        boolean pemFile = headers.getAcceptableMediaTypes().stream()
                .anyMatch(type -> type.isCompatible(MediaType.valueOf(PEM_FILE)) && !type.isWildcardSubtype());
        return Response.ok(pem, pemFile ? PEM_FILE : PEM_CHAIN).build();
    }

    @GET
    @Path("/crl.pem")
    @Produces(PEM_FILE)
    @WithSession
    @Operation(
            summary =
                    "The edge CA's CRL (PEM, X.509 v2): revoked certificates that have not expired; valid for 7 days, "
                            + "signed again when what it lists changes or it is a day old, with a CRL number that only grows")
    @APIResponse(
            responseCode = "200",
            description = "The CRL",
            content = @Content(mediaType = PEM_FILE, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "503", description = "No edge CA is configured")
    public Uni<Response> getEdgeCaCrl() {
        ca.requireConfigured();
        Instant now = Instant.now();
        return crls.current(now)
                .map(pem -> Response.ok(pem, PEM_FILE)
                        .header("Cache-Control", "no-cache")
                        .build());
    }
}
