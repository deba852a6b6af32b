package io.edgefleet.console.web;

import io.edgefleet.console.fleet.FleetOverview;
import io.edgefleet.console.fleet.Overviews;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The fleet overview ({@code /}); htmx reloads its figures every 15 s ({@code /?} with {@code HX-Request}). */
@Path("/")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class OverviewPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(FleetOverview overview);

        static native TemplateInstance overview$figures(FleetOverview overview);
    }

    @Inject
    Overviews overviews;

    @GET
    public TemplateInstance overview(@HeaderParam("HX-Request") String htmx) {
        FleetOverview overview = overviews.read();
        return htmx != null ? Templates.overview$figures(overview) : Templates.overview(overview);
    }
}
