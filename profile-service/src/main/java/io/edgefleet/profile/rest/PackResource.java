package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.Validator;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;
import static io.edgefleet.kit.security.Roles.VIEWER;

@Path("/v1/packs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "packs")
@SecurityRequirement(name = "bearer")
public class PackResource {

    @Inject
    PackService packs;

    @Inject
    CallerTenant tenant;

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "Search packs and charts of the built-in catalog and your registries")
    public Uni<Page<PackView>> searchPacks(
            @Parameter(description = "the layer the pack serves", schema = @Schema(implementation = PackLayer.class))
                    @QueryParam("layer")
                    String layer,
            @Parameter(
                            description = "part of the pack name",
                            schema = @Schema(type = SchemaType.STRING, maxLength = 63, pattern = "^[a-z0-9._-]*$"))
                    @QueryParam("name")
                    String name,
            @Parameter(description = "`builtin` or one of your registry ids") @QueryParam("registry") String registry,
            @Parameter(description = "a version (1.28.4), a train (1.28.x) or comparisons ('>=1.27.0 <1.30')")
                    @QueryParam("version")
                    String version,
            @Parameter(
                            description = "include pre-releases",
                            schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
                    @QueryParam("prereleases")
                    String prereleases,
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
        PackLayer layerFilter = QueryParams.enumValue(v, "layer", layer, PackLayer.class);
        v.require(
                name == null || name.matches("[a-z0-9._-]{0,63}"),
                "name",
                "must be part of a pack name: lowercase letters, digits, '.', '_', '-' (at most 63)");
        String registryId =
                registry == null || registry.isEmpty() ? null : RequestRules.registryId(registry, "registry", v);
        VersionRange range = null;
        if (version != null && !version.isBlank()) {
            try {
                range = VersionRange.parse(version);
            } catch (IllegalArgumentException e) {
                v.require(false, "version", e.getMessage());
            }
        }
        v.require(prereleases == null || prereleases.matches("true|false"), "prereleases", "must be true or false");
        int pageNumber = QueryParams.intValue(v, "page", page, 0, 0, 1_000_000);
        int pageSize = QueryParams.intValue(v, "size", size, 50, 1, 200);
        v.throwIfInvalid();
        var search = new PackService.Search(
                layerFilter,
                name == null || name.isEmpty() ? null : name,
                registryId,
                range,
                "true".equals(prereleases));
        return packs.search(tenant.id(), search, pageNumber, pageSize).map(p -> p.map(PackView::of));
    }

    @GET
    @Path("/{registry}/{name}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "One pack with all its versions, newest first")
    public Uni<PackView> getPack(
            @Parameter(description = "`builtin` or one of your registry ids") @PathParam("registry") String registry,
            @Parameter(description = "the pack or chart name") @PathParam("name") String name) {
        Validator v = new Validator();
        String registryId = RequestRules.registryId(registry, "registry", v);
        String packName = packName(name, v);
        v.throwIfInvalid();
        return packs.pack(tenant.id(), registryId, packName).map(PackView::of);
    }

    @GET
    @Path("/{registry}/{name}/versions/{version}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(
            summary =
                    "One pack version with its default values and presets; a train (1.28.x) answers the release it links")
    public Uni<PackVersionView> getPackVersion(
            @Parameter(description = "`builtin` or one of your registry ids") @PathParam("registry") String registry,
            @Parameter(description = "the pack or chart name") @PathParam("name") String name,
            @Parameter(description = "a version (1.28.4) or a train (1.28.x, 1.x)") @PathParam("version")
                    String version) {
        Validator v = new Validator();
        String registryId = RequestRules.registryId(registry, "registry", v);
        String packName = packName(name, v);
        VersionSpec spec = null;
        try {
            spec = VersionSpec.parse(version);
        } catch (IllegalArgumentException e) {
            v.require(false, "version", e.getMessage());
        }
        v.throwIfInvalid();
        return packs.version(tenant.id(), registryId, packName, spec).map(PackVersionView::of);
    }

    private static String packName(String name, Validator v) {
        boolean valid = name != null && Names.PACK.matcher(name).matches();
        v.require(valid, "name", Names.PACK_HINT);
        return valid ? name : null;
    }
}
