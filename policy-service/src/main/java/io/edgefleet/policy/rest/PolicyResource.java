package io.edgefleet.policy.rest;

import io.edgefleet.events.payload.PolicyKind;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunStatus;
import io.edgefleet.policy.service.PolicyService;
import io.edgefleet.policy.service.RunService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;

import java.util.UUID;

@Path("/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "policies")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", description = "Invalid input; `field` names it",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(responseCode = "403", description = "The token's role does not allow this")
public class PolicyResource {

    static final String READ = "viewer";
    static final String WRITE = "tenant-admin";

    @Inject
    PolicyService policies;
    @Inject
    RunService runs;
    @Inject
    CallerTenant tenant;

    /** Body of POST /v1/policies/{id}/runs. */
    public record RunNowRequest(@Schema(description = "one of the policy's clusters; absent: all of them") String clusterId) {
    }

    @POST
    @RolesAllowed(WRITE)
    @Operation(summary = "Create a policy (OS_PATCH, SCAN or BACKUP), optionally on a schedule and attached to clusters")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(responseCode = "409", description = "A policy of that name exists")
    public Uni<Response> create(PolicyRequest body, UriInfo uri) {
        PolicyRequest.requireBody(body).validate(true);
        return policies.create(tenant.id(), body)
                .map(p -> Response.created(uri.getAbsolutePathBuilder().path(p.id.toString()).build()).entity(PolicyView.of(p)).build());
    }

    @GET
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "List policies, ordered by name")
    public Uni<Page<PolicyView>> list(@Parameter(description = "OS_PATCH, SCAN or BACKUP") @QueryParam("kind") String kind,
                                      @QueryParam("page") String page, @QueryParam("size") String size) {
        PolicyKind kindFilter = QueryParams.enumValue("kind", kind, PolicyKind.class);
        int p = QueryParams.intValue("page", page, 0, 0, 1_000_000);
        int s = QueryParams.intValue("size", size, 50, 1, 200);
        return policies.list(tenant.id(), kindFilter, p, s)
                .map(r -> new Page<>(r.items().stream().map(PolicyView::of).toList(), p, s, r.total()));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "Get one policy (never its store secret)")
    @APIResponse(responseCode = "404", description = "No such policy in your tenant")
    public Uni<PolicyView> get(@PathParam("id") String id) {
        return policies.get(tenant.id(), Ids.uuid("id", id)).map(PolicyView::of);
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(WRITE)
    @Operation(summary = "Replace a policy: schedule, clusters, settings (a backup's secret key is kept when left out)")
    @APIResponse(responseCode = "404", description = "No such policy in your tenant")
    @APIResponse(responseCode = "409", description = "The kind cannot change, or the name is taken")
    public Uni<PolicyView> replace(@PathParam("id") String id, PolicyRequest body) {
        UUID policyId = Ids.uuid("id", id);
        PolicyRequest.requireBody(body).validate(false);
        return policies.replace(tenant.id(), policyId, body).map(PolicyView::of);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(WRITE)
    @Operation(summary = "Delete a policy (its runs and backups stay)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such policy in your tenant")
    public Uni<Response> delete(@PathParam("id") String id) {
        return policies.delete(tenant.id(), Ids.uuid("id", id)).map(v -> Response.noContent().build());
    }

    @POST
    @Path("/{id}/runs")
    @RolesAllowed(WRITE)
    @Operation(summary = "Run the policy now on one of its clusters or all; a cluster with a run under way gets a SKIPPED run")
    @APIResponse(responseCode = "202", description = "The runs started (or skipped, with the reason)")
    @APIResponse(responseCode = "404", description = "No such policy in your tenant")
    public Uni<Response> runNow(@PathParam("id") String id, RunNowRequest body) {
        UUID policyId = Ids.uuid("id", id);
        String clusterId = body == null ? null : Ids.clusterId("clusterId", body.clusterId());
        return policies.runNow(tenant.id(), policyId, clusterId)
                .map(started -> Response.accepted(started.stream().map(r -> RunView.of(r, null)).toList()).build());
    }

    @GET
    @Path("/{id}/runs")
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "The policy's runs, newest first")
    public Uni<Page<RunView>> runs(@PathParam("id") String id, @QueryParam("clusterId") String clusterId,
                                   @Parameter(description = "SKIPPED, RUNNING, SUCCEEDED, FAILED, EXPIRED") @QueryParam("status") String status,
                                   @QueryParam("page") String page, @QueryParam("size") String size) {
        UUID policyId = Ids.uuid("id", id);
        RunStatus statusFilter = QueryParams.enumValue("status", status, RunStatus.class);
        int p = QueryParams.intValue("page", page, 0, 0, 1_000_000);
        int s = QueryParams.intValue("size", size, 50, 1, 200);
        return policies.get(tenant.id(), policyId)
                .chain(policy -> runs.list(tenant.id(), Arrays.asList(RunKind.values()), Ids.clusterId("clusterId", clusterId),
                        policyId, statusFilter, p, s))
                .map(r -> new Page<>(r.items().stream().map(run -> RunView.of(run, null)).toList(), p, s, r.total()));
    }

    @GET
    @Path("/{id}/runs/{runId}")
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "One run of the policy with its per-node results")
    @APIResponse(responseCode = "404", description = "No such run in your tenant")
    public Uni<RunView> run(@PathParam("id") String id, @PathParam("runId") String runId) {
        UUID policyId = Ids.uuid("id", id);
        return runs.get(tenant.id(), Ids.uuid("runId", runId), null, "run").map(r -> {
            if (!policyId.equals(r.run().policyId)) {
                throw io.edgefleet.kit.rest.ProblemException.notFound("run", runId);
            }
            return RunView.of(r.run(), r.nodes());
        });
    }

}
