package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.service.PolicyService;
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
import jakarta.ws.rs.core.HttpHeaders;
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


@Path("/v1/scans")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "scans")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", description = "Invalid input; `field` names it",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(responseCode = "403", description = "The token's role does not allow this")
public class ScanResource {

    static final String CSV = "text/csv";

    @Inject
    PolicyService policies;
    @Inject
    RunService runs;
    @Inject
    CallerTenant tenant;

    /** Body of POST /v1/scans: a scan on demand, outside any policy. */
    public record ScanNowRequest(@Schema(required = true) String clusterId, @Schema(required = true) PolicyRequest.ScanRequest scan) {
    }

    @POST
    @RolesAllowed(PolicyResource.WRITE)
    @Operation(summary = "Scan a cluster now (configuration security, penetration, conformance)")
    @APIResponse(responseCode = "202", description = "The scan started, or was skipped (another run under way) with the reason",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    public Uni<Response> scanNow(ScanNowRequest body, UriInfo uri) {
        PolicyRequest.requireBody(body);
        Validator v = new Validator();
        v.require(body.clusterId() != null && PolicyRequest.CLUSTER_ID.matcher(body.clusterId()).matches(), "clusterId",
                "is required: the id of one of your clusters");
        PolicyRequest.validateScan(body.scan(), "scan", v);
        v.throwIfInvalid();
        return policies.scanNow(tenant.id(), body.clusterId(), PolicyRequest.scanSettings(body.scan()))
                .map(run -> Response.accepted(RunView.of(run, null))
                        .location(uri.getAbsolutePathBuilder().path(run.id.toString()).build()).build());
    }

    @GET
    @RolesAllowed({PolicyResource.READ, PolicyResource.WRITE})
    @Operation(summary = "List scans, newest first, with counts of passed, failed and warned checks")
    public Uni<Page<RunView>> list(@QueryParam("clusterId") String clusterId,
                                   @Parameter(description = "SKIPPED, RUNNING, SUCCEEDED, FAILED") @QueryParam("status") String status,
                                   @QueryParam("page") String page, @QueryParam("size") String size) {
        return RunLists.list(runs, tenant.id(), RunKind.SCAN, clusterId, status, page, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({PolicyResource.READ, PolicyResource.WRITE})
    @Operation(summary = "One scan with every node's findings")
    @APIResponse(responseCode = "404", description = "No such scan in your tenant")
    public Uni<RunView> get(@PathParam("id") String id) {
        return runs.get(tenant.id(), Ids.uuid("id", id), RunKind.SCAN, "scan").map(r -> RunView.of(r.run(), r.nodes()));
    }

    @GET
    @Path("/{id}/report")
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @RolesAllowed({PolicyResource.READ, PolicyResource.WRITE})
    @Operation(summary = "The scan's report for download: one row per node and check, as JSON or CSV")
    @APIResponse(responseCode = "404", description = "No such scan in your tenant")
    public Uni<Response> report(@PathParam("id") String id,
                                @Parameter(description = "json or csv (default: from the Accept header, else json)") @QueryParam("format") String format,
                                @jakarta.ws.rs.core.Context HttpHeaders headers) {
        boolean csv;
        if (format == null) {
            csv = headers.getAcceptableMediaTypes().stream().anyMatch(m -> m.isCompatible(MediaType.valueOf(CSV)) && !m.isWildcardType());
        } else if (format.equals("csv") || format.equals("json")) {
            csv = format.equals("csv");
        } else {
            throw ProblemException.invalid("format", "'" + format + "' is not json or csv");
        }
        return runs.get(tenant.id(), Ids.uuid("id", id), RunKind.SCAN, "scan").map(r -> {
            ScanReport report = ScanReport.of(r.run(), r.nodes());
            String file = "scan-" + r.run().id + (csv ? ".csv" : ".json");
            return Response.ok(csv ? report.csv() : report, csv ? CSV + "; charset=utf-8" : MediaType.APPLICATION_JSON)
                    .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
        });
    }
}
