package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.PageQuery;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunStatus;
import io.edgefleet.policy.service.RunService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;
import static io.edgefleet.kit.security.Roles.VIEWER;

@Path("/v1/restores")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "restores")
@SecurityRequirement(name = "bearer")
public class RestoreResource {

    @Inject
    RunService runs;

    @Inject
    CallerTenant tenant;

    /** Body of POST /v1/restores. */
    @Schema(name = "RestoreBackupRequest")
    public record RestoreRequest(
            @Schema(required = true, format = "uuid", description = "the backup to restore")
            String backupId,

            @Schema(
                    description = "the cluster to restore into (default: the backup's own cluster)",
                    pattern = PolicyResource.CLUSTER_ID)
            String clusterId) {}

    @POST
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary =
                    "Restore a backup into its cluster or another cluster of your tenant; progress per node as it runs")
    @APIResponse(
            responseCode = "202",
            description =
                    "Started, or skipped (another run under way) with the reason; " + "Location names the restore",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(
            responseCode = "409",
            description = "The backup cannot be restored (expired, failed) or the target lacks nodes for its archives")
    public Uni<Response> restoreBackup(RestoreRequest body, UriInfo uri) {
        Validator v = new Validator();
        UUID backupId = null;
        String clusterId = null;
        if (v.requireBody(body)) {
            v.require(body.backupId() != null, "backupId", "is required");
            backupId = Ids.uuid(v, "backupId", body.backupId());
            clusterId = Ids.clusterId(v, "clusterId", body.clusterId());
        }
        v.throwIfInvalid();
        return runs.restore(tenant.id(), backupId, clusterId)
                .map(run -> Response.accepted(RunView.of(run, null))
                        .location(uri.getAbsolutePathBuilder()
                                .path(run.id.toString())
                                .build())
                        .build());
    }

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "List restores, newest first")
    public Uni<Page<RunView>> listRestores(
            @Parameter(
                            description = "only restores into this cluster",
                            schema = @Schema(type = SchemaType.STRING, pattern = PolicyResource.CLUSTER_ID))
                    @QueryParam("clusterId")
                    String clusterId,
            @Parameter(description = "only restores in this status", schema = @Schema(implementation = RunStatus.class))
                    @QueryParam("status")
                    String status,
            @BeanParam PageQuery pageQuery) {
        return RunLists.list(runs, tenant.id(), RunKind.RESTORE, clusterId, status, pageQuery);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "One restore with every node's progress (downloading, verifying, restoring) and result")
    public Uni<RunView> getRestore(
            @Parameter(description = "the restore's id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @PathParam("id")
                    String id) {
        return runs.get(tenant.id(), Ids.uuid("id", id), RunKind.RESTORE, "restore")
                .map(r -> RunView.of(r.run(), r.nodes()));
    }
}
