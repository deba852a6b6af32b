package io.edgefleet.appliance.certificates;

import io.edgefleet.appliance.rest.RegisterAppliance;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.Validator;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

@Path("/v1/appliances/{uid}/certificates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "appliances")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", description = "Invalid input; `field` names it",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(responseCode = "403", description = "The token's role or tenant does not allow this")
@APIResponse(responseCode = "404", description = "No such appliance in your tenant")
public class CertificateResource {

    private static final String READ = "viewer";
    private static final String WRITE = "tenant-admin";

    @Inject
    CertificateService certificates;
    @Inject
    CallerTenant tenant;

    @GET
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "The appliance's certificates, newest first")
    public Uni<Page<CertificateView>> list(
            @PathParam("uid") String uid,
            @Parameter(description = "page number, from 0") @QueryParam("page") String page,
            @Parameter(description = "page size, 1 to 200 (default 50)") @QueryParam("size") String size) {
        checkUid(uid);
        int pageNumber = QueryParams.intValue("page", page, 0, 0, 1_000_000);
        int pageSize = QueryParams.intValue("size", size, 50, 1, 200);
        Instant now = Instant.now();
        return certificates.list(tenant.id(), uid, pageNumber, pageSize)
                .map(p -> new Page<>(p.items().stream().map(c -> CertificateView.of(c, now)).toList(), p.page(), p.size(), p.total()));
    }

    @DELETE
    @RolesAllowed(WRITE)
    @Operation(summary = "Revoke every certificate of the appliance: it is cut off from the edge link until it re-enrols "
            + "with a registration token issued for its uid")
    @APIResponse(responseCode = "204", description = "Revoked (or nothing left to revoke)")
    public Uni<Response> revoke(@PathParam("uid") String uid) {
        checkUid(uid);
        return certificates.revokeAll(tenant.id(), uid, tenant.user()).map(v -> Response.noContent().build());
    }

    private static void checkUid(String uid) {
        Validator v = new Validator();
        v.text(uid, "uid", 1, 64, RegisterAppliance.UID,
                "may contain only letters, digits, '.', '_' and '-', and must start and end with a letter or digit");
        v.throwIfInvalid();
    }
}
