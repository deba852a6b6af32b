package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.profile.catalog.Names;
import io.edgefleet.profile.service.PackService;
import io.edgefleet.profile.version.VersionRange;
import io.edgefleet.profile.version.VersionSpec;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/packs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "packs")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", description = "Invalid input; `field` names it",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(responseCode = "403", description = "The token's role or tenant does not allow this")
public class PackResource {

    private static final String READ = "viewer";
    private static final String WRITE = "tenant-admin";

    @Inject
    PackService packs;
    @Inject
    CallerTenant tenant;

    @GET
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "Search packs and charts of the built-in catalog and your registries")
    public Uni<Page<PackView>> search(
            @Parameter(description = "OS, KUBERNETES, NETWORK, STORAGE or ADDON") @QueryParam("layer") String layer,
            @Parameter(description = "part of the pack name") @QueryParam("name") String name,
            @Parameter(description = "`builtin` or one of your registry ids") @QueryParam("registry") String registry,
            @Parameter(description = "a version (1.28.4), a train (1.28.x) or comparisons ('>=1.27.0 <1.30')")
            @QueryParam("version") String version,
            @Parameter(description = "include pre-releases (default false)") @QueryParam("prereleases") String prereleases,
            @Parameter(description = "page number, from 0") @QueryParam("page") String page,
            @Parameter(description = "page size, 1 to 200 (default 50)") @QueryParam("size") String size) {
        PackLayer layerFilter = QueryParams.enumValue("layer", layer, PackLayer.class);
        if (name != null && !name.isEmpty() && !name.matches("[a-z0-9._-]{1,63}")) {
            throw ProblemException.invalid("name", "must be part of a pack name: lowercase letters, digits, '.', '_', '-'");
        }
        String registryId = registry == null || registry.isEmpty() ? null : Inputs.registryId(registry, "registry");
        VersionRange range = null;
        if (version != null && !version.isBlank()) {
            try {
                range = VersionRange.parse(version);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("version", e.getMessage());
            }
        }
        if (prereleases != null && !prereleases.matches("true|false")) {
            throw ProblemException.invalid("prereleases", "must be true or false");
        }
        int pageNumber = QueryParams.intValue("page", page, 0, 0, 1_000_000);
        int pageSize = QueryParams.intValue("size", size, 50, 1, 200);
        var search = new PackService.Search(layerFilter, name == null || name.isEmpty() ? null : name, registryId, range,
                "true".equals(prereleases));
        return packs.search(tenant.id(), search, pageNumber, pageSize)
                .map(p -> new Page<>(p.items().stream().map(PackView::of).toList(), p.page(), p.size(), p.total()));
    }

    @GET
    @Path("/{registry}/{name}")
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "One pack with all its versions")
    @APIResponse(responseCode = "404", description = "No such registry or pack visible to you")
    public Uni<PackView> pack(@PathParam("registry") String registry, @PathParam("name") String name) {
        return packs.pack(tenant.id(), Inputs.registryId(registry, "registry"), packName(name)).map(PackView::of);
    }

    @GET
    @Path("/{registry}/{name}/versions/{version}")
    @RolesAllowed({READ, WRITE})
    @Operation(summary = "One pack version with its default values and presets; a train (1.28.x) answers the release it links")
    @APIResponse(responseCode = "404", description = "No such registry, pack or version visible to you")
    public Uni<PackVersionView> version(@PathParam("registry") String registry, @PathParam("name") String name,
                                        @PathParam("version") String version) {
        VersionSpec spec;
        try {
            spec = VersionSpec.parse(version);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("version", e.getMessage());
        }
        return packs.version(tenant.id(), Inputs.registryId(registry, "registry"), packName(name), spec).map(PackVersionView::of);
    }

    private static String packName(String name) {
        if (name == null || !Names.PACK.matcher(name).matches()) {
            throw ProblemException.invalid("name", Names.PACK_HINT);
        }
        return name;
    }
}
