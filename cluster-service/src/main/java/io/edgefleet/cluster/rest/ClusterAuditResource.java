package io.edgefleet.cluster.rest;

import io.edgefleet.kit.audit.AuditEntry;
import io.edgefleet.kit.audit.AuditLog;
import io.edgefleet.kit.audit.AuditQuery;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;

/** The audit log of cluster-service's writes (clusters, node pools, provisioning). */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "cluster audit", description = "Who changed what in cluster-service")
@SecurityRequirement(name = "bearer")
public class ClusterAuditResource {

    @Inject
    AuditLog audit;

    @Inject
    CallerTenant tenant;

    @GET
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "List the tenant's writes to cluster-service, newest first")
    public Uni<Page<AuditEntry>> listClusterAudit(@BeanParam AuditQuery query) {
        AuditQuery.Filters filters = query.validated();
        return audit.list(tenant.id(), filters);
    }
}
