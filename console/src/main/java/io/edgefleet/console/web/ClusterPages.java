package io.edgefleet.console.web;

import io.edgefleet.console.clusters.ClusterAction;
import io.edgefleet.console.clusters.ClusterDetail;
import io.edgefleet.console.clusters.ClusterListing;
import io.edgefleet.console.clusters.Clusters;
import io.edgefleet.console.profiles.Profiles;
import io.edgefleet.console.runs.Runs;
import io.edgefleet.console.security.Roles;
import io.edgefleet.sdk.model.ProfileType;
import io.edgefleet.sdk.model.ProfileView;
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

/**
 * Clusters: the list (status filter), one cluster's detail with its progress followed live while it changes (htmx
 * polls the page's live part every 3 s, see README), and the actions, each confirmed on a page of its own first.
 */
@Path("/clusters")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class ClusterPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(ClusterListing listing, List<String> statuses);

        static native TemplateInstance list$rows(ClusterListing listing);

        static native TemplateInstance detail(ClusterDetail detail, Runs.ClusterRuns runs);

        static native TemplateInstance detail$live(ClusterDetail detail);

        static native TemplateInstance profile(
                ClusterDetail detail, List<ProfileView> choices, String profileId, String error);

        static native TemplateInstance confirm(
                ClusterDetail detail, ClusterAction action, String pool, String size, String error);
    }

    @Inject
    Clusters clusters;

    @Inject
    Profiles profiles;

    @Inject
    Runs runs;

    @GET
    public TemplateInstance list(
            @QueryParam("status") String status, @QueryParam("page") int page, @HeaderParam("HX-Request") String htmx) {
        ClusterListing listing = clusters.list(status, page);
        return htmx != null ? Templates.list$rows(listing) : Templates.list(listing, Clusters.statuses());
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@PathParam("id") String id, @HeaderParam("HX-Request") String htmx) {
        ClusterDetail detail = load(id);
        // htmx's poll asks for the live part only (status, health, pools, nodes, tasks)
        // its scans, backups and restores (policy-service) only with the whole page
        return htmx != null ? Templates.detail$live(detail) : Templates.detail(detail, runs.forCluster(id));
    }

    /** Change profile: the profile versions the cluster can take (its cloud type; no add-ons), and confirm. */
    @GET
    @Path("/{id}/profile")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance profileForm(@PathParam("id") String id) {
        ClusterDetail detail = load(id);
        String error = ClusterAction.PROFILE.allowed(detail.cluster())
                ? null
                : "Changing the profile is not possible while the cluster is "
                        + detail.cluster().getStatus() + ".";
        String current = detail.cluster().getProfile() == null
                ? null
                : detail.cluster().getProfile().getId();
        return Templates.profile(detail, profileChoices(detail), current, error);
    }

    @POST
    @Path("/{id}/profile")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeProfile(@PathParam("id") String id, @RestForm String profileId) {
        ClusterDetail detail = load(id);
        Clusters.ActionResult result = clusters.changeProfile(detail.cluster(), profileId == null ? "" : profileId);
        if (!result.done()) {
            return Response.status(Response.Status.CONFLICT)
                    .type(MediaType.TEXT_HTML)
                    .entity(Templates.profile(detail, profileChoices(detail), profileId, result.message()))
                    .build();
        }
        return Response.seeOther(UriBuilder.fromPath("/clusters/{id}").build(id))
                .build();
    }

    private List<ProfileView> profileChoices(ClusterDetail detail) {
        return profiles.list(null).stream()
                .filter(p -> p.getType() != ProfileType.ADDON)
                .filter(p -> p.getCloudType() == null
                        || detail.cluster().getCloudType() == null
                        || p.getCloudType()
                                .getValue()
                                .equals(detail.cluster().getCloudType().getValue()))
                .toList();
    }

    /** The confirm page of an action: what it will do, and the button that does it. */
    @GET
    @Path("/{id}/{action}")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance confirm(
            @PathParam("id") String id,
            @PathParam("action") String action,
            @QueryParam("pool") String pool,
            @QueryParam("size") String size) {
        ClusterDetail detail = load(id);
        ClusterAction a = ClusterAction.of(action).orElseThrow(() -> new NotFoundException("no action " + action));
        String error = a.allowed(detail.cluster())
                ? null
                : a.label() + " is not possible while the cluster is "
                        + detail.cluster().getStatus() + ".";
        return Templates.confirm(detail, a, pool, size, error);
    }

    @POST
    @Path("/{id}/{action}")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(
            @PathParam("id") String id,
            @PathParam("action") String action,
            @RestForm String pool,
            @RestForm String size) {
        ClusterAction a = ClusterAction.of(action).orElseThrow(() -> new NotFoundException("no action " + action));
        Integer poolSize = null;
        if (a == ClusterAction.SCALE) {
            try {
                poolSize = Integer.valueOf(size == null ? "" : size.strip());
            } catch (NumberFormatException e) {
                return refused(id, a, pool, size, "size: a whole number of nodes");
            }
        }
        Clusters.ActionResult result = clusters.act(id, a, pool, poolSize);
        if (!result.done()) {
            return refused(id, a, pool, size, result.message());
        }
        return Response.seeOther(UriBuilder.fromPath("/clusters/{id}").build(id))
                .build();
    }

    private Response refused(String id, ClusterAction action, String pool, String size, String message) {
        return Response.status(Response.Status.CONFLICT)
                .type(MediaType.TEXT_HTML)
                .entity(Templates.confirm(load(id), action, pool, size, message))
                .build();
    }

    private ClusterDetail load(String id) {
        return clusters.detail(id).orElseThrow(() -> new NotFoundException("no cluster " + id));
    }
}
