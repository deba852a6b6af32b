package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.service.RunService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Backups are runs of BACKUP policies: start one with POST /v1/policies/{id}/runs. */
@Path("/v1/backups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "backups")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", description = "Invalid input; `field` names it",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(responseCode = "403", description = "The token's role does not allow this")
public class BackupResource {

    @Inject
    RunService runs;
    @Inject
    CallerTenant tenant;

    @GET
    @RolesAllowed({PolicyResource.READ, PolicyResource.WRITE})
    @Operation(summary = "List backups, newest first: size, location and status (EXPIRED once retention deleted them)")
    public Uni<Page<RunView>> list(@QueryParam("clusterId") String clusterId,
                                   @Parameter(description = "SKIPPED, RUNNING, SUCCEEDED, FAILED, EXPIRED") @QueryParam("status") String status,
                                   @QueryParam("page") String page, @QueryParam("size") String size) {
        return RunLists.list(runs, tenant.id(), RunKind.BACKUP, clusterId, status, page, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({PolicyResource.READ, PolicyResource.WRITE})
    @Operation(summary = "One backup with every node's archive (object key, size, SHA-256)")
    @APIResponse(responseCode = "404", description = "No such backup in your tenant")
    public Uni<RunView> get(@PathParam("id") String id) {
        return runs.get(tenant.id(), Ids.uuid("id", id), RunKind.BACKUP, "backup").map(r -> RunView.of(r.run(), r.nodes()));
    }
}
