package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.ProfileType;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.service.LayerDraft;
import io.edgefleet.profile.service.ProfileDraft;
import io.edgefleet.profile.service.ProfileService;
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

import java.util.List;
import java.util.UUID;

@Path("/v1/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "profiles")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", description = "Invalid input; `field` names it (e.g. `layers[2].version`), `errors` lists all",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(responseCode = "403", description = "The token's role or tenant does not allow this")
public class ProfileResource {

    private static final String READ = "viewer";
    private static final String WRITE = "tenant-admin";

    @Inject
    ProfileService profiles;
    @Inject
    CallerTenant tenant;

    @POST
    @RolesAllowed(WRITE)
    @Operation(summary = "Create a cluster profile (version 1.0.0 unless given); trains resolve to their newest release")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = ProfileView.class)))
    @APIResponse(responseCode = "409", description = "The profile already has this version")
    public Uni<Response> create(ProfileRequest body, UriInfo uri) {
        Inputs.requireBody(body);
        Validator v = new Validator();
        ProfileDraft draft = body.draft(v);
        return profiles.create(tenant.id(), draft, v)
                .map(p -> Response.created(uri.getAbsolutePathBuilder().path(p.id.toString()).build()).entity(ProfileView.of(p)).build());
    }

    @GET
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "List profile versions, ordered by name and version")
    public Uni<Page<ProfileView>> list(
            @Parameter(description = "part of the name, any case") @QueryParam("name") String name,
            @Parameter(description = "FULL, INFRA or ADDON") @QueryParam("type") String type,
            @Parameter(description = "page number, from 0") @QueryParam("page") String page,
            @Parameter(description = "page size, 1 to 200 (default 50)") @QueryParam("size") String size) {
        if (name != null && !name.matches("[A-Za-z0-9._-]{0,64}")) {
            throw ProblemException.invalid("name", "must be part of a profile name: letters, digits, '.', '_', '-'");
        }
        var filter = new ProfileService.Filter(name == null || name.isEmpty() ? null : name,
                QueryParams.enumValue("type", type, ProfileType.class));
        int pageNumber = QueryParams.intValue("page", page, 0, 0, 1_000_000);
        int pageSize = QueryParams.intValue("size", size, 50, 1, 200);
        return profiles.list(tenant.id(), filter, pageNumber, pageSize)
                .map(p -> new Page<>(p.items().stream().map(ProfileView::of).toList(), p.page(), p.size(), p.total()));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "Get one profile version")
    @APIResponse(responseCode = "404", description = "No such profile in your tenant")
    public Uni<ProfileView> get(@PathParam("id") String id) {
        return profiles.get(tenant.id(), Inputs.uuid(id, "id")).map(ProfileView::of);
    }

    @GET
    @Path("/{id}/resolved")
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "The resolved stack: concrete releases, merged values and manifests of every layer")
    @APIResponse(responseCode = "404", description = "No such profile in your tenant")
    public Uni<ResolvedProfileView> resolved(@PathParam("id") String id) {
        return profiles.get(tenant.id(), Inputs.uuid(id, "id")).map(ResolvedProfileView::of);
    }

    @GET
    @Path("/{id}/versions")
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "Every version of this profile (same name), oldest first")
    @APIResponse(responseCode = "404", description = "No such profile in your tenant")
    public Uni<List<ProfileView>> versions(@PathParam("id") String id) {
        return profiles.versions(tenant.id(), Inputs.uuid(id, "id")).map(all -> all.stream().map(ProfileView::of).toList());
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(WRITE)
    @Operation(summary = "Replace description, tags and layers of this profile version")
    @APIResponse(responseCode = "404", description = "No such profile in your tenant")
    @APIResponse(responseCode = "409", description = "Changed concurrently (e.g. re-linked); read and retry")
    public Uni<ProfileView> update(@PathParam("id") String id, UpdateProfileRequest body) {
        UUID profileId = Inputs.uuid(id, "id");
        Inputs.requireBody(body);
        Validator v = new Validator();
        List<LayerDraft> layers = body.drafts(v);
        return profiles.update(tenant.id(), profileId, body.description(), body.tags(), layers, v).map(ProfileView::of);
    }

    @POST
    @Path("/{id}/versions")
    @RolesAllowed(WRITE)
    @Operation(summary = "Create a new version of this profile (a new row; this version is kept)")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = ProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such profile in your tenant")
    @APIResponse(responseCode = "409", description = "The profile already has this version")
    public Uni<Response> newVersion(@PathParam("id") String id, NewVersionRequest body, UriInfo uri) {
        UUID profileId = Inputs.uuid(id, "id");
        Inputs.requireBody(body);
        Validator v = new Validator();
        List<LayerDraft> layers = body.drafts(v);
        return profiles.newVersion(tenant.id(), profileId, body.version(), body.description(), body.tags(), layers, v)
                .map(p -> Response.created(uri.getBaseUriBuilder().path("v1/profiles").path(p.id.toString()).build())
                        .entity(ProfileView.of(p)).build());
    }

    @POST
    @Path("/{id}/clone")
    @RolesAllowed(WRITE)
    @Operation(summary = "Copy this profile version under a new name")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = ProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such profile in your tenant")
    @APIResponse(responseCode = "409", description = "A profile with that name and version exists")
    public Uni<Response> cloneProfile(@PathParam("id") String id, CloneProfileRequest body, UriInfo uri) {
        UUID profileId = Inputs.uuid(id, "id");
        Inputs.requireBody(body);
        Validator v = new Validator();
        body.validate(v);
        v.throwIfInvalid();
        return profiles.cloneProfile(tenant.id(), profileId, body.name(), body.chosenVersion(), body.description(), v)
                .map(p -> Response.created(uri.getBaseUriBuilder().path("v1/profiles").path(p.id.toString()).build())
                        .entity(ProfileView.of(p)).build());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(WRITE)
    @Operation(summary = "Delete this profile version (other versions stay)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such profile in your tenant")
    public Uni<Response> delete(@PathParam("id") String id) {
        return profiles.delete(tenant.id(), Inputs.uuid(id, "id")).map(x -> Response.noContent().build());
    }
}
