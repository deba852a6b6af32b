package io.edgefleet.policy.rest;

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

/** The audit log of policy-service's writes (policies, scans, backups and restores). */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "policy audit", description = "Who changed what in policy-service")
@SecurityRequirement(name = "bearer")
public class PolicyAuditResource {

    @Inject
    AuditLog audit;

    @Inject
    CallerTenant tenant;

    @GET
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "List the tenant's writes to policy-service, newest first")
    public Uni<Page<AuditEntry>> listPolicyAudit(@BeanParam AuditQuery query) {
        AuditQuery.Filters filters = query.validated();
        return audit.list(tenant.id(), filters);
    }
}
