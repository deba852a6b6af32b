package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.PageQuery;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunStatus;
import io.edgefleet.policy.service.RunService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;
import static io.edgefleet.kit.security.Roles.VIEWER;

/** Backups are runs of BACKUP policies: start one with POST /v1/policies/{id}/runs. */
@Path("/v1/backups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "backups")
@SecurityRequirement(name = "bearer")
public class BackupResource {

    @Inject
    RunService runs;

    @Inject
    CallerTenant tenant;

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "List backups, newest first: size, location and status (EXPIRED once retention deleted them)")
    public Uni<Page<RunView>> listBackups(
            @Parameter(
                            description = "only backups of this cluster",
                            schema = @Schema(type = SchemaType.STRING, pattern = PolicyResource.CLUSTER_ID))
                    @QueryParam("clusterId")
                    String clusterId,
            @Parameter(description = "only backups in this status", schema = @Schema(implementation = RunStatus.class))
                    @QueryParam("status")
                    String status,
            @BeanParam PageQuery pageQuery) {
        return RunLists.list(runs, tenant.id(), RunKind.BACKUP, clusterId, status, pageQuery);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "One backup with every node's archive (object key, size, SHA-256)")
    public Uni<RunView> getBackup(
            @Parameter(description = "the backup's id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @PathParam("id")
                    String id) {
        return runs.get(tenant.id(), Ids.uuid("id", id), RunKind.BACKUP, "backup")
                .map(r -> RunView.of(r.run(), r.nodes()));
    }
}
