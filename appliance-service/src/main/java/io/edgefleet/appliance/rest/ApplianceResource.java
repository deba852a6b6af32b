package io.edgefleet.appliance.rest;

import io.edgefleet.appliance.repository.Appliance;
import io.edgefleet.appliance.service.ApplianceService;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.PageQuery;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.TagRules;
import io.edgefleet.kit.rest.Validator;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;
import static io.edgefleet.kit.security.Roles.VIEWER;

@Path("/v1/appliances")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "appliances")
@SecurityRequirement(name = "bearer")
public class ApplianceResource {

    static final String BODY_TOO_LARGE = "The body is larger than the API's limit (64 KiB)";

    @Inject
    ApplianceService appliances;

    @Inject
    CallerTenant tenant;

    @POST
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Register an appliance by its uid; it pairs when its gateway reports")
    @APIResponse(
            responseCode = "201",
            description = "Registered (UNPAIRED, or READY when its gateway already reported)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApplianceView.class)))
    @APIResponse(responseCode = "409", description = "The uid is already registered in this tenant")
    @APIResponse(responseCode = "413", description = BODY_TOO_LARGE)
    public Uni<Response> registerAppliance(RegisterAppliance body, UriInfo uri) {
        Validator v = new Validator();
        RegisterAppliance.check(body, v);
        v.throwIfInvalid();
        return appliances
                .register(tenant.id(), body.uid(), body.tags())
                .map(a -> Response.created(
                                uri.getAbsolutePathBuilder().path(a.uid).build())
                        .entity(ApplianceView.of(a))
                        .build());
    }

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "List appliances, filtered and paged, ordered by uid")
    public Uni<Page<ApplianceView>> listAppliances(
            @Parameter(
                            description = "only appliances in this status (case-insensitive)",
                            schema = @Schema(implementation = ApplianceStatus.class))
                    @QueryParam("status")
                    String status,
            @Parameter(
                            description = "only appliances of this kind (case-insensitive)",
                            schema = @Schema(implementation = ApplianceKind.class))
                    @QueryParam("kind")
                    String kind,
            @Parameter(description = "`key` (has the tag) or `key:value`; repeat to require several") @QueryParam("tag")
                    List<String> tags,
            @BeanParam PageQuery paging) {
        // every bad parameter is reported, not only the first
        Validator v = new Validator();
        var statusFilter = QueryParams.enumValue(v, "status", status, ApplianceStatus.class);
        var kindFilter = QueryParams.enumValue(v, "kind", kind, ApplianceKind.class);
        var tagFilters = tagFilters(tags, v);
        int pageNumber = paging.page(v);
        int pageSize = paging.size(v);
        v.throwIfInvalid();
        return appliances
                .list(tenant.id(), statusFilter, kindFilter, tagFilters, pageNumber, pageSize)
                .map(p -> p.map(ApplianceView::of));
    }

    @GET
    @Path("/{uid}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "Get one appliance")
    public Uni<ApplianceView> getAppliance(@PathParam("uid") String uid) {
        return appliances.get(tenant.id(), checkedUid(uid)).map(ApplianceView::of);
    }

    @PUT
    @Path("/{uid}/tags")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Replace the appliance's tags")
    @APIResponse(
            responseCode = "200",
            description = "The appliance with its new tags",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApplianceView.class)))
    @APIResponse(responseCode = "413", description = BODY_TOO_LARGE)
    public Uni<ApplianceView> replaceApplianceTags(@PathParam("uid") String uid, ReplaceTags body) {
        // the path and the body are checked together: one answer lists every problem
        Validator v = new Validator();
        Appliance.checkUid(uid, "uid", v);
        ReplaceTags.check(body, v);
        v.throwIfInvalid();
        return appliances.replaceTags(tenant.id(), uid, body.tags()).map(ApplianceView::of);
    }

    @DELETE
    // answers 204 without a body: a client that accepts only problems (the SDK does, for an operation
    // whose only bodies are problems) must not get 406
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Path("/{uid}")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Delete an appliance (refused while a cluster uses it)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "A cluster uses the appliance")
    public Uni<Response> deleteAppliance(@PathParam("uid") String uid) {
        return appliances
                .delete(tenant.id(), checkedUid(uid))
                .map(v -> Response.noContent().build());
    }

    /** An echoed input stays short: a problem is not a mirror. */
    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static String checkedUid(String uid) {
        Validator v = new Validator();
        Appliance.checkUid(uid, "uid", v);
        v.throwIfInvalid();
        return uid;
    }

    private static List<ApplianceService.TagFilter> tagFilters(List<String> tags, Validator v) {
        List<ApplianceService.TagFilter> filters = new ArrayList<>();
        for (String tag : tags == null ? List.<String>of() : tags) {
            int colon = tag.indexOf(':');
            String key = colon < 0 ? tag : tag.substring(0, colon);
            if (!TagRules.KEY.matcher(key).matches() || key.length() > 63) {
                v.require(false, "tag", "'" + abbreviated(tag) + "' is not `key` or `key:value` with a valid tag key");
                continue;
            }
            filters.add(new ApplianceService.TagFilter(key, colon < 0 ? null : tag.substring(colon + 1)));
        }
        return filters;
    }
}
