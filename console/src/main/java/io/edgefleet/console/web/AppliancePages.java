package io.edgefleet.console.web;

import io.edgefleet.console.fleet.ApplianceListing;
import io.edgefleet.console.fleet.Appliances;
import io.edgefleet.console.forms.ApplianceForm;
import io.edgefleet.sdk.model.ApplianceView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.RestForm;

import java.util.List;

/** Appliances: the list (filters and search, live with htmx), registering one, one appliance's detail. */
@Path("/appliances")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class AppliancePages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(ApplianceListing listing, List<String> statuses);

        static native TemplateInstance list$rows(ApplianceListing listing);

        static native TemplateInstance register(ApplianceForm form);

        static native TemplateInstance detail(ApplianceView appliance);
    }

    @Inject
    Appliances appliances;

    @GET
    public TemplateInstance list(
            @QueryParam("status") String status,
            @QueryParam("tag") String tag,
            @QueryParam("q") String query,
            @HeaderParam("HX-Request") String htmx) {
        ApplianceListing listing = appliances.list(status, tag, query);
        // htmx asks for the rows only (the filters stay as the operator is typing them)
        return htmx != null ? Templates.list$rows(listing) : Templates.list(listing, Appliances.statuses());
    }

    @GET
    @Path("/new")
    @RolesAllowed(CurrentUser.TENANT_ADMIN)
    public TemplateInstance registerForm() {
        return Templates.register(ApplianceForm.empty());
    }

    @POST
    @RolesAllowed(CurrentUser.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response register(@RestForm String uid, @RestForm String name, @RestForm String tags) {
        ApplianceForm form = new ApplianceForm(uid, name, tags);
        return appliances
                .register(form)
                .map(a -> Response.seeOther(
                                UriBuilder.fromPath("/appliances/{uid}").build(a.getUid()))
                        .build())
                .orElseGet(() -> Response.status(Response.Status.BAD_REQUEST)
                        .entity(Templates.register(form))
                        .type(MediaType.TEXT_HTML)
                        .build());
    }

    @GET
    @Path("/{uid}")
    public TemplateInstance detail(@PathParam("uid") String uid) {
        return Templates.detail(appliances.get(uid).orElseThrow(() -> new NotFoundException("no appliance " + uid)));
    }
}
