package io.edgefleet.policy.rest;

import io.edgefleet.events.payload.PolicyKind;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.PageQuery;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunStatus;
import io.edgefleet.policy.service.PolicyService;
import io.edgefleet.policy.service.RunService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.UUID;

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;
import static io.edgefleet.kit.security.Roles.VIEWER;

/**
 * Policies and their runs. The Java method names are the operationIds of the API (docs/api.md); the 400, 401, 403
 * and 404 problems are added to the document by service-kit's {@code ApiConventions}.
 */
@Path("/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "policies")
@SecurityRequirement(name = "bearer")
public class PolicyResource {

    static final String CLUSTER_ID = "[a-z0-9][a-z0-9-]{0,39}";

    @Inject
    PolicyService policies;

    @Inject
    RunService runs;

    @Inject
    CallerTenant tenant;

    /** Body of POST /v1/policies/{id}/runs. */
    @Schema(name = "RunPolicyRequest")
    public record RunNowRequest(
            @Schema(description = "one of the policy's clusters; absent: all of them", pattern = CLUSTER_ID)
            String clusterId) {}

    @POST
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary = "Create a policy (OS_PATCH, SCAN or BACKUP), optionally on a schedule and attached to clusters")
    @APIResponse(
            responseCode = "201",
            description = "Created; Location names the policy",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(responseCode = "409", description = "A policy of that name exists")
    public Uni<Response> createPolicy(PolicyRequest body, UriInfo uri) {
        Validator v = new Validator();
        if (v.requireBody(body)) {
            body.validate(true, v);
        }
        v.throwIfInvalid();
        return policies.create(tenant.id(), body.definition())
                .map(p -> Response.created(uri.getAbsolutePathBuilder()
                                .path(p.id.toString())
                                .build())
                        .entity(PolicyView.of(p))
                        .build());
    }

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "List policies, ordered by name")
    public Uni<Page<PolicyView>> listPolicies(
            @Parameter(description = "only policies of this kind", schema = @Schema(implementation = PolicyKind.class))
                    @QueryParam("kind")
                    String kind,
            @BeanParam PageQuery pageQuery) {
        Validator v = new Validator();
        PolicyKind kindFilter = QueryParams.enumValue(v, "kind", kind, PolicyKind.class);
        Paging paging = Paging.of(v, pageQuery);
        v.throwIfInvalid();
        return policies.list(tenant.id(), kindFilter, paging.page(), paging.size())
                .map(r -> new Page<>(
                        r.items().stream().map(PolicyView::of).toList(), paging.page(), paging.size(), r.total()));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "Get one policy (never its store secret)")
    public Uni<PolicyView> getPolicy(
            @Parameter(description = "the policy's id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @PathParam("id")
                    String id) {
        return policies.get(tenant.id(), Ids.uuid("id", id)).map(PolicyView::of);
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Replace a policy: schedule, clusters, settings (a backup's secret key is kept when left out)")
    @APIResponse(
            responseCode = "200",
            description = "Replaced",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(responseCode = "409", description = "The kind cannot change, or the name is taken")
    public Uni<PolicyView> replacePolicy(
            @Parameter(description = "the policy's id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @PathParam("id")
                    String id,
            PolicyRequest body) {
        Validator v = new Validator();
        UUID policyId = Ids.uuid(v, "id", id);
        if (v.requireBody(body)) {
            body.validate(false, v);
        }
        v.throwIfInvalid();
        return policies.replace(tenant.id(), policyId, body.definition()).map(PolicyView::of);
    }

    @DELETE
    // answers 204 without a body: a client that accepts only problems (the SDK does, for an operation
    // whose only bodies are problems) must not get 406
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Path("/{id}")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Delete a policy (its runs and backups stay)")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Uni<Response> deletePolicy(
            @Parameter(description = "the policy's id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @PathParam("id")
                    String id) {
        return policies.delete(tenant.id(), Ids.uuid("id", id))
                .map(v -> Response.noContent().build());
    }

    @POST
    @Path("/{id}/runs")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary =
                    "Run the policy now on one of its clusters or all; a cluster with a run under way gets a SKIPPED run")
    @RequestBody(required = false, description = "optional: no body, or {}, runs the policy on all its clusters")
    @APIResponse(
            responseCode = "202",
            description = "One run per cluster: started (RUNNING), or SKIPPED with the reason",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.ARRAY, implementation = RunView.class)))
    public Uni<Response> runPolicy(
            @Parameter(description = "the policy's id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @PathParam("id")
                    String id,
            RunNowRequest body) {
        Validator v = new Validator();
        UUID policyId = Ids.uuid(v, "id", id);
        String clusterId = body == null ? null : Ids.clusterId(v, "clusterId", body.clusterId());
        v.throwIfInvalid();
        return policies.runNow(tenant.id(), policyId, clusterId)
                .map(started -> Response.accepted(
                                started.stream().map(r -> RunView.of(r, null)).toList())
                        .build());
    }

    @GET
    @Path("/{id}/runs")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "The policy's runs, newest first")
    public Uni<Page<RunView>> listPolicyRuns(
            @Parameter(description = "the policy's id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @PathParam("id")
                    String id,
            @Parameter(
                            description = "only runs on this cluster",
                            schema = @Schema(type = SchemaType.STRING, pattern = CLUSTER_ID))
                    @QueryParam("clusterId")
                    String clusterId,
            @Parameter(description = "only runs in this status", schema = @Schema(implementation = RunStatus.class))
                    @QueryParam("status")
                    String status,
            @BeanParam PageQuery pageQuery) {
        Validator v = new Validator();
        UUID policyId = Ids.uuid(v, "id", id);
        String cluster = Ids.clusterId(v, "clusterId", clusterId);
        RunStatus statusFilter = QueryParams.enumValue(v, "status", status, RunStatus.class);
        Paging paging = Paging.of(v, pageQuery);
        v.throwIfInvalid();
        return policies.get(tenant.id(), policyId)
                .chain(policy -> runs.list(
                        tenant.id(),
                        Arrays.asList(RunKind.values()),
                        cluster,
                        policyId,
                        statusFilter,
                        paging.page(),
                        paging.size()))
                .map(r -> new Page<>(
                        r.items().stream().map(run -> RunView.of(run, null)).toList(),
                        paging.page(),
                        paging.size(),
                        r.total()));
    }

    @GET
    @Path("/{id}/runs/{runId}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "One run of the policy with its per-node results")
    public Uni<RunView> getPolicyRun(
            @Parameter(description = "the policy's id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @PathParam("id")
                    String id,
            @Parameter(description = "the run's id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @PathParam("runId")
                    String runId) {
        Validator v = new Validator();
        UUID policyId = Ids.uuid(v, "id", id);
        UUID run = Ids.uuid(v, "runId", runId);
        v.throwIfInvalid();
        return runs.get(tenant.id(), run, null, "run").map(r -> {
            if (!policyId.equals(r.run().policyId)) {
                throw ProblemException.notFound("run", runId);
            }
            return RunView.of(r.run(), r.nodes());
        });
    }
}
