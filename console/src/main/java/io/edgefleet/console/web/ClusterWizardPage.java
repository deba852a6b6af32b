package io.edgefleet.console.web;

import io.edgefleet.console.clusters.ClusterCreation;
import io.edgefleet.console.clusters.WizardChoices;
import io.edgefleet.console.forms.ClusterWizardForm;
import io.edgefleet.console.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

/**
 * The cluster wizard ({@code /clusters/new}): one form posted back at each step (Next, Back, add a pool), created
 * by cluster-service at the end. Works without JavaScript.
 */
@Path("/clusters/new")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class ClusterWizardPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance wizard(ClusterWizardForm form, WizardChoices choices);
    }

    @Inject
    ClusterCreation creation;

    @GET
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance start() {
        return Templates.wizard(ClusterWizardForm.empty(), creation.choices());
    }

    @POST
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response step(MultivaluedMap<String, String> posted) {
        ClusterWizardForm form = ClusterWizardForm.read(posted);
        String go = posted.getFirst("go");
        if ("create".equals(go)) {
            return creation.create(form)
                    .map(c -> Response.seeOther(
                                    UriBuilder.fromPath("/clusters/{id}").build(c.getId()))
                            .build())
                    .orElseGet(() -> Response.status(Response.Status.BAD_REQUEST)
                            .type(MediaType.TEXT_HTML)
                            .entity(Templates.wizard(form, creation.choices()))
                            .build());
        }
        return Response.ok(Templates.wizard(form.go(go), creation.choices()))
                .type(MediaType.TEXT_HTML)
                .build();
    }
}
