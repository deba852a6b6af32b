package io.edgefleet.appliance.rest;

import io.edgefleet.appliance.repository.Appliance;
import io.edgefleet.appliance.service.CertificateService;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.PageQuery;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.Validator;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;
import static io.edgefleet.kit.security.Roles.VIEWER;

@Path("/v1/appliances/{uid}/certificates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "appliances")
@SecurityRequirement(name = "bearer")
public class CertificateResource {

    @Inject
    CertificateService certificates;

    @Inject
    CallerTenant tenant;

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "The appliance's certificates, newest first")
    public Uni<Page<CertificateView>> listApplianceCertificates(
            @PathParam("uid") String uid, @BeanParam PageQuery paging) {
        // the path and the query are checked together: one answer lists every problem
        Validator v = new Validator();
        Appliance.checkUid(uid, "uid", v);
        int pageNumber = paging.page(v);
        int pageSize = paging.size(v);
        v.throwIfInvalid();
        Instant now = Instant.now();
        return certificates
                .list(tenant.id(), uid, pageNumber, pageSize)
                .map(p -> p.map(c -> CertificateView.of(c, now)));
    }

    @DELETE
    // answers 204 without a body: a client that accepts only problems (the SDK does, for an operation
    // whose only bodies are problems) must not get 406
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary = "Revoke every certificate of the appliance: it is cut off from the edge link until it re-enrols "
                    + "with a registration token issued for its uid")
    @APIResponse(responseCode = "204", description = "Revoked (or nothing left to revoke)")
    public Uni<Response> revokeApplianceCertificates(@PathParam("uid") String uid) {
        Validator v = new Validator();
        Appliance.checkUid(uid, "uid", v);
        v.throwIfInvalid();
        return certificates
                .revokeAll(tenant.id(), uid, tenant.user())
                .map(revoked -> Response.noContent().build());
    }
}
