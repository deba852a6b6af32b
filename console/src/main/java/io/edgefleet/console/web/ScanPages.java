package io.edgefleet.console.web;

import io.edgefleet.console.clusters.Clusters;
import io.edgefleet.console.fleet.ServiceCallFailed;
import io.edgefleet.console.runs.Runs;
import io.edgefleet.console.runs.ScanFindings;
import io.edgefleet.sdk.model.RunView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scan reports (policy-service's scans, of policies and on demand): the list with each scan's outcome and counts, one
 * scan's findings, and its CSV — policy-service's own CSV streamed through (the console renders none itself).
 * Viewers read and download them too.
 */
@Path("/scans")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class ScanPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<RunView> scans, String cluster, Map<String, String> clusterNames);

        static native TemplateInstance report(RunView scan, List<ScanFindings.Row> rows, String clusterName);
    }

    @Inject
    Runs runs;

    @Inject
    Clusters clusters;

    @GET
    public TemplateInstance list(@QueryParam("cluster") String cluster) {
        String shown = cluster == null ? "" : cluster.strip();
        return Templates.list(runs.scans(shown), shown, clusterNames());
    }

    @GET
    @Path("/{id}")
    public TemplateInstance report(@PathParam("id") String id) {
        RunView scan = load(id);
        return Templates.report(
                scan, ScanFindings.rows(scan), clusterNames().getOrDefault(scan.getClusterId(), scan.getClusterId()));
    }

    /** The report as policy-service's CSV, an attachment; nothing is buffered in the console. */
    @GET
    @Path("/{id}/report.csv")
    @Produces("text/csv")
    public Response csv(@PathParam("id") String id) {
        RunView scan = load(id); // also: another tenant's scan is a 404 page before anything is streamed
        InputStream body = runs.scanReportCsv(scan.getId()).orElseThrow(() -> new NotFoundException("no scan " + id));
        StreamingOutput stream = out -> {
            try (body) {
                body.transferTo(out);
            }
        };
        return Response.ok(stream, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"scan-" + scan.getId() + ".csv\"")
                .build();
    }

    private RunView load(String id) {
        return runs.scan(id).orElseThrow(() -> new NotFoundException("no scan " + id));
    }

    /** Cluster names by id; the ids alone when cluster-service does not answer. */
    private Map<String, String> clusterNames() {
        Map<String, String> names = new LinkedHashMap<>();
        try {
            clusters.list(null, 0).items().forEach(c -> names.put(c.getId(), c.getName()));
        } catch (ServiceCallFailed e) {
            // the ids are shown instead
        }
        return names;
    }
}
