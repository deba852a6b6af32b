package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.PageQuery;
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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;
import static io.edgefleet.kit.security.Roles.VIEWER;

/** Scans on demand and the reports of every scan (on demand or of a SCAN policy). */
@Path("/v1/scans")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "scans")
@SecurityRequirement(name = "bearer")
public class ScanResource {

    static final String CSV = "text/csv";

    @Inject
    PolicyService policies;

    @Inject
    RunService runs;

    @Inject
    CallerTenant tenant;

    /** Body of POST /v1/scans: a scan on demand, outside any policy. */
    @Schema(name = "ScanClusterRequest")
    public record ScanNowRequest(
            @Schema(required = true, pattern = PolicyResource.CLUSTER_ID)
            String clusterId,

            @Schema(required = true) PolicyRequest.ScanRequest scan) {}

    @POST
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Scan a cluster now (configuration security, penetration, conformance)")
    @APIResponse(
            responseCode = "202",
            description = "The scan started, or was skipped (another run under way) with the reason; "
                    + "Location names the scan",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    public Uni<Response> scanCluster(ScanNowRequest body, UriInfo uri) {
        Validator v = new Validator();
        if (v.requireBody(body)) {
            v.require(
                    body.clusterId() != null
                            && PolicyRequest.CLUSTER_ID
                                    .matcher(body.clusterId())
                                    .matches(),
                    "clusterId",
                    "is required: the id of one of your clusters");
            PolicyRequest.validateScan(body.scan(), "scan", v);
        }
        v.throwIfInvalid();
        return policies.scanNow(tenant.id(), body.clusterId(), PolicyRequest.scanSettings(body.scan()))
                .map(run -> Response.accepted(RunView.of(run, null))
                        .location(uri.getAbsolutePathBuilder()
                                .path(run.id.toString())
                                .build())
                        .build());
    }

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(
            summary =
                    "List scans, newest first, with counts of passed, failed, warned and not carried out (ERROR) checks")
    public Uni<Page<RunView>> listScans(
            @Parameter(
                            description = "only scans of this cluster",
                            schema = @Schema(type = SchemaType.STRING, pattern = PolicyResource.CLUSTER_ID))
                    @QueryParam("clusterId")
                    String clusterId,
            @Parameter(description = "only scans in this status", schema = @Schema(implementation = RunStatus.class))
                    @QueryParam("status")
                    String status,
            @BeanParam PageQuery pageQuery) {
        return RunLists.list(runs, tenant.id(), RunKind.SCAN, clusterId, status, pageQuery);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "One scan with every node's findings")
    public Uni<RunView> getScan(
            @Parameter(description = "the scan's id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @PathParam("id")
                    String id) {
        return runs.get(tenant.id(), Ids.uuid("id", id), RunKind.SCAN, "scan").map(r -> RunView.of(r.run(), r.nodes()));
    }

    /**
     * Whether the Accept header asks for CSV before JSON: its types, by quality, decide at the first that names one of
     * them exactly; JSON wins a tie (a generated client lists every type the operation can answer).
     */
    static boolean prefersCsv(List<MediaType> acceptable) {
        MediaType csv = MediaType.valueOf(CSV);
        for (MediaType type : acceptable) {
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                continue;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(csv)) {
                String quality = type.getParameters().getOrDefault("q", "1");
                return acceptable.stream()
                        .noneMatch(other -> other.isCompatible(MediaType.APPLICATION_JSON_TYPE)
                                && !other.isWildcardType()
                                && !other.isWildcardSubtype()
                                && other.getParameters().getOrDefault("q", "1").equals(quality));
            }
        }
        return false;
    }

    @GET
    @Path("/{id}/report")
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(
            summary = "The scan's report for download: one row per node and check, as JSON or CSV",
            description =
                    "The format is the `format` parameter's; without it, CSV when the Accept header prefers text/csv "
                            + "to application/json (`Accept: text/csv`), else JSON (an Accept naming both, in the same order or "
                            + "quality, gets JSON). The CSV (RFC 4180, UTF-8, a header line) has the columns node_id, appliance_uid, scan, "
                            + "check_id, title, status, evidence, every cell quoted; a cell a spreadsheet would read as a formula "
                            + "starts with an apostrophe.")
    @APIResponse(
            responseCode = "200",
            description = "The report, as an attachment (scan-<id>.json or scan-<id>.csv)",
            headers =
                    @Header(
                            name = "Content-Disposition",
                            description = "attachment; filename=\"scan-<id>.csv\"",
                            schema = @Schema(type = SchemaType.STRING)),
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScanReport.class)),
                @Content(
                        mediaType = CSV,
                        schema =
                                @Schema(
                                        type = SchemaType.STRING,
                                        description =
                                                "node_id,appliance_uid,scan,check_id,title,status,evidence and one line per finding"),
                        example = "node_id,appliance_uid,scan,check_id,title,status,evidence\r\n"
                                + "\"c1-m0\",\"hospital-1\",\"PENETRATION\",\"EF-PT-2375\",\"Docker API port\",\"FAIL\","
                                + "\"port 2375 open\"\r\n")
            })
    public Uni<Response> getScanReport(
            @Parameter(description = "the scan's id", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                    @PathParam("id")
                    String id,
            @Parameter(
                            description = "json or csv (default: from the Accept header, else json)",
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"json", "csv"}))
                    @QueryParam("format")
                    String format,
            @Context HttpHeaders headers) {
        Validator v = new Validator();
        UUID scanId = Ids.uuid(v, "id", id);
        v.require(
                format == null || format.equals("csv") || format.equals("json"),
                "format",
                "'" + (format == null ? "" : Ids.shown(format)) + "' is not json or csv");
        v.throwIfInvalid();
        boolean csv = format == null ? prefersCsv(headers.getAcceptableMediaTypes()) : format.equals("csv");
        return runs.get(tenant.id(), scanId, RunKind.SCAN, "scan").map(r -> {
            ScanReport report = ScanReport.of(r.run(), r.nodes());
            String file = "scan-" + r.run().id + (csv ? ".csv" : ".json");
            return Response.ok(csv ? report.csv() : report, csv ? CSV + "; charset=utf-8" : MediaType.APPLICATION_JSON)
                    .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                    .build();
        });
    }
}
