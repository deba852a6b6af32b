package io.edgefleet.console.web;

import io.edgefleet.console.runs.BackupOffers;
import io.edgefleet.console.runs.Runs;
import io.edgefleet.sdk.model.RunView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * One restore and every node's step (downloading, verifying, restoring), followed live while it runs: htmx polls the
 * page's live part every 3 s, as the cluster page does (see README), and stops once the restore has finished.
 */
@Path("/restores")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class RestorePages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance detail(RunView restore, boolean live, String progress);

        static native TemplateInstance detail$live(RunView restore, boolean live, String progress);
    }

    @Inject
    Runs runs;

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@PathParam("id") String id, @HeaderParam("HX-Request") String htmx) {
        RunView restore = runs.restore(id).orElseThrow(() -> new NotFoundException("no restore " + id));
        boolean live = BackupOffers.live(restore);
        String progress = BackupOffers.progress(restore);
        return htmx != null
                ? Templates.detail$live(restore, live, progress)
                : Templates.detail(restore, live, progress);
    }
}
