package io.edgefleet.console.web;

import io.edgefleet.console.fleet.RegistrationTokens;
import io.edgefleet.console.forms.TokenForm;
import io.edgefleet.console.security.Roles;
import io.edgefleet.sdk.model.CreatedRegistrationToken;
import io.edgefleet.sdk.model.RegistrationTokenView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.RestForm;

import java.util.List;

/**
 * Registration tokens (appliance-service): the list, issuing one (its secret is shown on the answer page only, never
 * again), revoking one after a confirm page.
 */
@Path("/tokens")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class TokenPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<RegistrationTokenView> tokens, TokenForm form);

        static native TemplateInstance created(CreatedRegistrationToken token);

        static native TemplateInstance revoke(RegistrationTokenView token);
    }

    @Inject
    RegistrationTokens tokens;

    @GET
    public TemplateInstance list() {
        return Templates.list(tokens.list(), TokenForm.empty());
    }

    @POST
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(
            @RestForm String description,
            @RestForm String uid,
            @RestForm String maxUses,
            @RestForm String days,
            @RestForm String tags) {
        TokenForm form = new TokenForm(description, uid, maxUses, days, tags);
        return tokens.create(form)
                // the secret is in this answer only: not a redirect, and not to be kept by the browser's cache
                .map(t -> Response.ok(Templates.created(t))
                        .type(MediaType.TEXT_HTML)
                        .header("Cache-Control", "no-store")
                        .build())
                .orElseGet(() -> Response.status(Response.Status.BAD_REQUEST)
                        .entity(Templates.list(tokens.list(), form))
                        .type(MediaType.TEXT_HTML)
                        .build());
    }

    @GET
    @Path("/{id}/revoke")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance revokeForm(@PathParam("id") String id) {
        return Templates.revoke(load(id));
    }

    @POST
    @Path("/{id}/revoke")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@PathParam("id") String id) {
        tokens.revoke(load(id).getId());
        return Response.seeOther(UriBuilder.fromPath("/tokens").build()).build();
    }

    private RegistrationTokenView load(String id) {
        return tokens.get(id).orElseThrow(() -> new NotFoundException("no token " + id));
    }
}
