package io.edgefleet.console.web;

import io.edgefleet.console.fleet.ApplianceListing;
import io.edgefleet.console.fleet.Appliances;
import io.edgefleet.console.forms.ApplianceForm;
import io.edgefleet.console.forms.TagsForm;
import io.edgefleet.console.security.Roles;
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

        static native TemplateInstance tags(ApplianceView appliance, TagsForm form);

        static native TemplateInstance delete(ApplianceView appliance, String error);
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
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance registerForm() {
        return Templates.register(ApplianceForm.empty());
    }

    @POST
    @RolesAllowed(Roles.TENANT_ADMIN)
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
        return Templates.detail(load(uid));
    }

    @GET
    @Path("/{uid}/tags")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance tagsForm(@PathParam("uid") String uid) {
        ApplianceView appliance = load(uid);
        return Templates.tags(appliance, TagsForm.of(appliance.getTags()));
    }

    /** Replaces the tags (the service's field errors at the box, all at once, nothing changed). */
    @POST
    @Path("/{uid}/tags")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response replaceTags(@PathParam("uid") String uid, @RestForm String tags) {
        ApplianceView appliance = load(uid);
        TagsForm form = new TagsForm(tags);
        return appliances
                .replaceTags(uid, form)
                .map(a -> Response.seeOther(detailUri(uid)).build())
                .orElseGet(() -> Response.status(Response.Status.BAD_REQUEST)
                        .entity(Templates.tags(appliance, form))
                        .type(MediaType.TEXT_HTML)
                        .build());
    }

    /** The confirm page of deleting the appliance. */
    @GET
    @Path("/{uid}/delete")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance deleteForm(@PathParam("uid") String uid) {
        return Templates.delete(load(uid), null);
    }

    @POST
    @Path("/{uid}/delete")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("uid") String uid) {
        ApplianceView appliance = load(uid);
        String refused = appliances.delete(uid);
        if (refused != null) {
            return Response.status(Response.Status.CONFLICT)
                    .entity(Templates.delete(appliance, refused))
                    .type(MediaType.TEXT_HTML)
                    .build();
        }
        return Response.seeOther(UriBuilder.fromPath("/appliances").build()).build();
    }

    private ApplianceView load(String uid) {
        return appliances.get(uid).orElseThrow(() -> new NotFoundException("no appliance " + uid));
    }

    private static java.net.URI detailUri(String uid) {
        return UriBuilder.fromPath("/appliances/{uid}").build(uid);
    }
}
