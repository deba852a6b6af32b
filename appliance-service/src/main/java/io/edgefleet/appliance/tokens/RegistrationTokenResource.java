package io.edgefleet.appliance.tokens;

import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.PageQuery;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.Validator;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
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

import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;
import static io.edgefleet.kit.security.Roles.VIEWER;

@Path("/v1/registration-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "registration tokens", description = "What an appliance's gateway proves to enrol (docs/edge-link.md)")
@SecurityRequirement(name = "bearer")
public class RegistrationTokenResource {

    @Inject
    RegistrationTokenService tokens;

    @Inject
    CallerTenant tenant;

    @POST
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Make a registration token; the answer shows its secret `token` this one time")
    @APIResponse(
            responseCode = "201",
            description = "Made; keep `token`, it cannot be shown again",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CreatedRegistrationToken.class)))
    @APIResponse(responseCode = "413", description = "The body is larger than the API's limit (64 KiB)")
    public Uni<Response> createRegistrationToken(CreateRegistrationToken body, UriInfo uri) {
        Instant now = Instant.now();
        CreateRegistrationToken request =
                body == null ? new CreateRegistrationToken(null, null, null, null, null) : body;
        request.validate(now);
        return tokens.create(tenant.id(), tenant.user(), request, now)
                .map(created -> Response.created(uri.getAbsolutePathBuilder()
                                .path(created.token().id.toString())
                                .build())
                        .entity(CreatedRegistrationToken.of(
                                created.secret(), RegistrationTokenView.of(created.token(), now)))
                        .build());
    }

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "List the tenant's registration tokens, newest first")
    public Uni<Page<RegistrationTokenView>> listRegistrationTokens(
            @Parameter(
                            description = "only tokens in this status (case-insensitive)",
                            schema = @Schema(implementation = RegistrationToken.Status.class))
                    @QueryParam("status")
                    String status,
            @BeanParam PageQuery paging) {
        Validator v = new Validator();
        var statusFilter = QueryParams.enumValue(v, "status", status, RegistrationToken.Status.class);
        int pageNumber = paging.page(v);
        int pageSize = paging.size(v);
        v.throwIfInvalid();
        Instant now = Instant.now();
        return tokens.list(tenant.id(), statusFilter, pageNumber, pageSize, now)
                .map(p -> p.map(t -> RegistrationTokenView.of(t, now)));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "Get one registration token (never its secret)")
    public Uni<RegistrationTokenView> getRegistrationToken(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        return tokens.get(tenant.id(), checkedId(id)).map(t -> RegistrationTokenView.of(t, Instant.now()));
    }

    @DELETE
    // answers 204 without a body: a client that accepts only problems (the SDK does, for an operation
    // whose only bodies are problems) must not get 406
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Path("/{id}")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Revoke a registration token: later enrolments with it fail (again: no change)")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Uni<Response> revokeRegistrationToken(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        return tokens.revoke(tenant.id(), checkedId(id), tenant.user(), Instant.now())
                .map(v -> Response.noContent().build());
    }

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static UUID checkedId(String id) {
        if (id == null || !UUID_TEXT.matcher(id).matches()) {
            throw ProblemException.invalid("id", "is not a registration token id (a UUID)");
        }
        return UUID.fromString(id);
    }
}
