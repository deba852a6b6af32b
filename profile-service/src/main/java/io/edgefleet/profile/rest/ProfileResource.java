package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ProfileType;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.Problem;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
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

@Path("/v1/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "profiles")
@SecurityRequirement(name = "bearer")
public class ProfileResource {

    @Inject
    ProfileService profiles;

    @Inject
    CallerTenant tenant;

    @POST
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary = "Create a cluster profile (version 1.0.0 unless given); trains resolve to their newest release")
    @APIResponse(
            responseCode = "201",
            description = "Created; `Location` is its URL",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProfileView.class)))
    @APIResponse(responseCode = "409", description = "The profile already has this version")
    @APIResponse(responseCode = "413", description = RequestRules.BODY_TOO_LARGE)
    public Uni<Response> createProfile(ProfileRequest body, UriInfo uri) {
        Validator v = new Validator();
        if (!v.requireBody(body)) {
            v.throwIfInvalid();
        }
        ProfileDraft draft = body.draft(v);
        return profiles.create(tenant.id(), draft, v)
                .map(p -> Response.created(uri.getAbsolutePathBuilder()
                                .path(p.id.toString())
                                .build())
                        .entity(ProfileView.of(p))
                        .build());
    }

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "List profile versions, ordered by name and version")
    public Uni<Page<ProfileView>> listProfiles(
            @Parameter(
                            description = "part of the name, any case",
                            schema = @Schema(type = SchemaType.STRING, maxLength = 64, pattern = "^[A-Za-z0-9._-]*$"))
                    @QueryParam("name")
                    String name,
            @Parameter(description = "the profile type", schema = @Schema(implementation = ProfileType.class))
                    @QueryParam("type")
                    String type,
            @Parameter(
                            description = "page number, from 0",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "0",
                                            maximum = "1000000",
                                            defaultValue = "0"))
                    @QueryParam("page")
                    String page,
            @Parameter(
                            description = "page size",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "200",
                                            defaultValue = "50"))
                    @QueryParam("size")
                    String size) {
        Validator v = new Validator();
        v.require(
                name == null || name.matches("[A-Za-z0-9._-]{0,64}"),
                "name",
                "must be part of a profile name: letters, digits, '.', '_', '-' (at most 64)");
        ProfileType typeFilter = QueryParams.enumValue(v, "type", type, ProfileType.class);
        int pageNumber = QueryParams.intValue(v, "page", page, 0, 0, 1_000_000);
        int pageSize = QueryParams.intValue(v, "size", size, 50, 1, 200);
        v.throwIfInvalid();
        var filter = new ProfileService.Filter(name == null || name.isEmpty() ? null : name, typeFilter);
        return profiles.list(tenant.id(), filter, pageNumber, pageSize).map(p -> p.map(ProfileView::of));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "Get one profile version")
    public Uni<ProfileView> getProfile(@PathParam("id") String id) {
        return profiles.get(tenant.id(), RequestRules.uuid(id, "id")).map(ProfileView::of);
    }

    @GET
    @Path("/{id}/resolved")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "The resolved stack: concrete releases, merged values and manifests of every layer")
    public Uni<ResolvedProfileView> getResolvedProfile(@PathParam("id") String id) {
        return profiles.get(tenant.id(), RequestRules.uuid(id, "id")).map(ResolvedProfileView::of);
    }

    @GET
    @Path("/{id}/versions")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "Every version of this profile (same name), oldest first")
    public Uni<List<ProfileView>> listProfileVersions(@PathParam("id") String id) {
        return profiles.versions(tenant.id(), RequestRules.uuid(id, "id"))
                .map(all -> all.stream().map(ProfileView::of).toList());
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Replace description, tags and layers of this profile version")
    @APIResponse(
            responseCode = "200",
            description = "Updated; layers resolved again",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProfileView.class)))
    @APIResponse(responseCode = "409", description = "Changed concurrently (e.g. re-linked); read and retry")
    @APIResponse(responseCode = "413", description = RequestRules.BODY_TOO_LARGE)
    public Uni<ProfileView> updateProfile(@PathParam("id") String id, UpdateProfileRequest body) {
        Validator v = new Validator();
        UUID profileId = RequestRules.uuid(id, "id", v);
        List<LayerDraft> layers = v.requireBody(body) ? body.drafts(v) : null;
        ProfileRollout rollout = body == null ? null : body.rolloutDraft(v);
        if (profileId == null || layers == null) {
            v.throwIfInvalid(); // the profile's layers are resolved only for a well-formed id and body
        }
        return profiles.update(tenant.id(), profileId, body.description(), body.tags(), layers, rollout, v)
                .map(ProfileView::of);
    }

    @POST
    @Path("/{id}/versions")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Create a new version of this profile (a new row; this version is kept)")
    @APIResponse(
            responseCode = "201",
            description = "Created; `Location` is its URL",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProfileView.class)))
    @APIResponse(responseCode = "409", description = "The profile already has this version")
    @APIResponse(responseCode = "413", description = RequestRules.BODY_TOO_LARGE)
    public Uni<Response> createProfileVersion(@PathParam("id") String id, NewVersionRequest body, UriInfo uri) {
        Validator v = new Validator();
        UUID profileId = RequestRules.uuid(id, "id", v);
        List<LayerDraft> layers = v.requireBody(body) ? body.drafts(v) : null;
        ProfileRollout rollout = body == null ? null : body.rolloutDraft(v);
        if (profileId == null || body == null) {
            v.throwIfInvalid();
        }
        return profiles.newVersion(
                        tenant.id(), profileId, body.version(), body.description(), body.tags(), layers, rollout, v)
                .map(p -> Response.created(uri.getBaseUriBuilder()
                                .path("v1/profiles")
                                .path(p.id.toString())
                                .build())
                        .entity(ProfileView.of(p))
                        .build());
    }

    @POST
    @Path("/{id}/clone")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Copy this profile version under a new name")
    @APIResponse(
            responseCode = "201",
            description = "Created; `Location` is its URL",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProfileView.class)))
    @APIResponse(responseCode = "409", description = "A profile with that name and version exists")
    @APIResponse(responseCode = "413", description = RequestRules.BODY_TOO_LARGE)
    public Uni<Response> cloneProfile(@PathParam("id") String id, CloneProfileRequest body, UriInfo uri) {
        Validator v = new Validator();
        UUID profileId = RequestRules.uuid(id, "id", v);
        if (v.requireBody(body)) {
            body.validate(v);
        }
        v.throwIfInvalid();
        return profiles.cloneProfile(tenant.id(), profileId, body.name(), body.chosenVersion(), body.description(), v)
                .map(p -> Response.created(uri.getBaseUriBuilder()
                                .path("v1/profiles")
                                .path(p.id.toString())
                                .build())
                        .entity(ProfileView.of(p))
                        .build());
    }

    @DELETE
    // answers 204 without a body: a client that accepts only problems (the SDK does, for an operation
    // whose only bodies are problems) must not get 406
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Path("/{id}")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Delete this profile version (other versions stay)")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Uni<Response> deleteProfile(@PathParam("id") String id) {
        return profiles.delete(tenant.id(), RequestRules.uuid(id, "id"))
                .map(x -> Response.noContent().build());
    }
}
