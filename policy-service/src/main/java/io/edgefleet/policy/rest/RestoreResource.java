package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.service.RunService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/restores")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "restores")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", description = "Invalid input; `field` names it",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(responseCode = "403", description = "The token's role does not allow this")
public class RestoreResource {

    @Inject
    RunService runs;
    @Inject
    CallerTenant tenant;

    /** Body of POST /v1/restores. */
    public record RestoreRequest(@Schema(required = true) String backupId,
                                 @Schema(description = "the cluster to restore into (default: the backup's own cluster)") String clusterId) {
    }

    @POST
    @RolesAllowed(PolicyResource.WRITE)
    @Operation(summary = "Restore a backup into its cluster or another cluster of your tenant; progress per node as it runs")
    @APIResponse(responseCode = "202", description = "Started, or skipped (another run under way) with the reason",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "409", description = "The backup cannot be restored (expired, failed) or the target lacks nodes for its archives")
    public Uni<Response> restore(RestoreRequest body, UriInfo uri) {
        PolicyRequest.requireBody(body);
        Validator v = new Validator();
        v.require(body.backupId() != null, "backupId", "is required");
        v.throwIfInvalid();
        return runs.restore(tenant.id(), Ids.uuid("backupId", body.backupId()), Ids.clusterId("clusterId", body.clusterId()))
                .map(run -> Response.accepted(RunView.of(run, null))
                        .location(uri.getAbsolutePathBuilder().path(run.id.toString()).build()).build());
    }

    @GET
    @RolesAllowed({PolicyResource.READ, PolicyResource.WRITE})
    @Operation(summary = "List restores, newest first")
    public Uni<Page<RunView>> list(@QueryParam("clusterId") String clusterId, @QueryParam("status") String status,
                                   @QueryParam("page") String page, @QueryParam("size") String size) {
        return RunLists.list(runs, tenant.id(), RunKind.RESTORE, clusterId, status, page, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({PolicyResource.READ, PolicyResource.WRITE})
    @Operation(summary = "One restore with every node's progress (downloading, verifying, restoring) and result")
    @APIResponse(responseCode = "404", description = "No such restore in your tenant")
    public Uni<RunView> get(@PathParam("id") String id) {
        return runs.get(tenant.id(), Ids.uuid("id", id), RunKind.RESTORE, "restore").map(r -> RunView.of(r.run(), r.nodes()));
    }
}
