package io.edgefleet.profile.rest;

import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.config.ProfileConfig;
import io.edgefleet.profile.repository.Registry;
import io.edgefleet.profile.service.RegistryService;
import io.edgefleet.profile.service.RegistrySync;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;
import static io.edgefleet.kit.security.Roles.VIEWER;

@Path("/v1/registries")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "registries")
@SecurityRequirement(name = "bearer")
public class RegistryResource {

    private static final String READ_ONLY =
            "The token's role does not allow this, or the registry is the read-only built-in one";

    @Inject
    RegistryService registries;

    @Inject
    RegistrySync sync;

    @Inject
    CallerTenant tenant;

    @Inject
    ProfileConfig config;

    @POST
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary =
                    "Add a pack registry (PACK index or LOCAL) or a Helm chart repository (HELM); PACK and HELM sync within a minute")
    @APIResponse(
            responseCode = "201",
            description = "Added; `Location` is its URL",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RegistryView.class)))
    @APIResponse(responseCode = "409", description = "A registry with this name exists")
    @APIResponse(responseCode = "413", description = RequestRules.BODY_TOO_LARGE)
    public Uni<Response> createRegistry(RegistryRequest body, UriInfo uri) {
        Validator v = new Validator();
        var kind = v.requireBody(body) ? body.validate(v, config.registry().allowLoopback()) : null;
        v.throwIfInvalid();
        return registries
                .create(tenant.id(), body.name(), kind, body.url())
                .map(r -> Response.created(
                                uri.getAbsolutePathBuilder().path(r.id).build())
                        .entity(RegistryView.of(r, null))
                        .build());
    }

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "The built-in registry and yours: the built-in one first, then yours by name")
    public Uni<Page<RegistryView>> listRegistries(
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
        int pageNumber = QueryParams.intValue(v, "page", page, 0, 0, 1_000_000);
        int pageSize = QueryParams.intValue(v, "size", size, 50, 1, 200);
        v.throwIfInvalid();
        return registries
                .list(tenant.id(), pageNumber, pageSize)
                .chain(p -> registries
                        .counts(p.items().stream().map(r -> r.id).toList())
                        .map(counts -> p.map(r -> RegistryView.of(r, counts.get(r.id)))));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "One registry with its sync state")
    public Uni<RegistryView> getRegistry(@PathParam("id") String id) {
        return registries.get(tenant.id(), RequestRules.registryId(id, "id")).chain(this::view);
    }

    @POST
    @Path("/{id}/sync")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Read the registry's index now; new versions are published and re-link trains")
    @APIResponse(
            responseCode = "200",
            description = "Synced",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SyncView.class)))
    @APIResponse(responseCode = "403", description = READ_ONLY)
    @APIResponse(responseCode = "409", description = "A LOCAL registry has no index")
    @APIResponse(
            responseCode = "502",
            description = "The registry cannot be read or its index is malformed; the reason is also "
                    + "recorded on the registry (lastSyncError) and its last good catalog stays")
    public Uni<SyncView> syncRegistry(@PathParam("id") String id) {
        return sync.sync(tenant.id(), RequestRules.registryId(id, "id")).chain(outcome -> {
            if (outcome.error() != null) {
                throw new ProblemException(
                        502,
                        "urn:edgefleet:problem:registry-unavailable",
                        "Registry unavailable",
                        "registry '" + outcome.registry().name + "' was not synced: " + outcome.error()
                                + " (its last good catalog is still offered)",
                        List.of(new Problem.FieldError("url", outcome.error())));
            }
            var changes = outcome.changes();
            return view(outcome.registry())
                    .map(view -> new SyncView(
                            view, changes.added(), changes.withdrawn(), changes.relinked(), outcome.skipped()));
        });
    }

    @POST
    @Path("/{id}/packs")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary =
                    "Publish a new pack version to a LOCAL registry; profiles on a train that reaches it are re-linked")
    @APIResponse(
            responseCode = "201",
            description = "Published; `Location` is the version's URL under /v1/packs",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PackVersionView.class)))
    @APIResponse(responseCode = "403", description = READ_ONLY)
    @APIResponse(
            responseCode = "409",
            description = "Not a LOCAL registry, the version exists (releases are immutable), "
                    + "or the pack exists with another layer")
    @APIResponse(responseCode = "413", description = RequestRules.BODY_TOO_LARGE)
    public Uni<Response> publishPackVersion(@PathParam("id") String id, PublishPackRequest body, UriInfo uri) {
        Validator v = new Validator();
        String registryId = RequestRules.registryId(id, "id", v);
        var pack = v.requireBody(body) ? body.validate(v) : null;
        v.throwIfInvalid();
        return registries
                .publish(tenant.id(), registryId, pack)
                .map(version -> Response.created(uri.getBaseUriBuilder()
                                .path("v1/packs")
                                .path(registryId)
                                .path(version.name)
                                .path("versions")
                                .path(version.version)
                                .build())
                        .entity(PackVersionView.of(version))
                        .build());
    }

    @DELETE
    // answers 204 without a body: a client that accepts only problems (the SDK does, for an operation
    // whose only bodies are problems) must not get 406
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Path("/{id}")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Delete one of your registries with its catalog (refused while a profile uses it)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = READ_ONLY)
    @APIResponse(responseCode = "409", description = "A profile uses the registry")
    public Uni<Response> deleteRegistry(@PathParam("id") String id) {
        return registries
                .delete(tenant.id(), RequestRules.registryId(id, "id"))
                .map(x -> Response.noContent().build());
    }

    private Uni<RegistryView> view(Registry r) {
        return registries.counts(List.of(r.id)).map(counts -> RegistryView.of(r, counts.get(r.id)));
    }
}
