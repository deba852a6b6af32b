package io.edgefleet.console.web;

import io.edgefleet.console.fleet.FleetOverview;
import io.edgefleet.console.fleet.Overviews;
import io.edgefleet.console.fleet.RecentChanges;
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
        /** @param recent null for a viewer: the services' audit logs are for tenant admins */
        static native TemplateInstance overview(FleetOverview overview, RecentChanges.Read recent);

        static native TemplateInstance overview$figures(FleetOverview overview);
    }

    @Inject
    Overviews overviews;

    @Inject
    RecentChanges recentChanges;

    @Inject
    CurrentUser user;

    @GET
    public TemplateInstance overview(@HeaderParam("HX-Request") String htmx) {
        FleetOverview overview = overviews.read();
        if (htmx != null) {
            return Templates.overview$figures(overview);
        }
        return Templates.overview(overview, user.admin() ? recentChanges.read() : null);
    }
}
