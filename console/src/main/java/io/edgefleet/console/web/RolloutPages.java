package io.edgefleet.console.web;

import io.edgefleet.console.clusters.Clusters;
import io.edgefleet.console.fleet.ServiceCallFailed;
import io.edgefleet.console.forms.RolloutForm;
import io.edgefleet.console.policies.Policies;
import io.edgefleet.console.profiles.Profiles;
import io.edgefleet.console.rollouts.RolloutAction;
import io.edgefleet.console.rollouts.RolloutDetail;
import io.edgefleet.console.rollouts.RolloutListing;
import io.edgefleet.console.rollouts.Rollouts;
import io.edgefleet.console.security.Roles;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.ProfileType;
import io.edgefleet.sdk.model.ProfileView;
import io.edgefleet.sdk.model.Rollout;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rollouts: the list (status filter), one rollout's detail with every cluster's state (followed live while it
 * changes, as the cluster page is: htmx polls its live part), creating one, and pause, resume, abort and the rollback
 * of a FAILED cluster, each confirmed on a page of its own first.
 */
@Path("/rollouts")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class RolloutPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(RolloutListing listing, List<String> statuses);

        static native TemplateInstance detail(RolloutDetail detail);

        static native TemplateInstance detail$live(RolloutDetail detail);

        static native TemplateInstance create(RolloutForm form, List<ProfileView> profiles, List<ClusterView> clusters);

        static native TemplateInstance confirm(
                RolloutDetail detail, String title, String consequence, String path, String clusterId, String error);
    }

    @Inject
    Rollouts rollouts;

    @Inject
    Profiles profiles;

    @Inject
    Clusters clusters;

    @Inject
    Policies policies;

    @GET
    public TemplateInstance list(@QueryParam("status") String status) {
        return Templates.list(
                new RolloutListing(status == null ? "" : status, rollouts.list(status), profileNames()),
                Rollouts.statuses());
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance createForm() {
        return Templates.create(
                withScanPolicies(RolloutForm.empty()),
                coreProfiles(),
                clusters.list(null, 0).items());
    }

    @POST
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> posted) {
        RolloutForm form = RolloutForm.read(posted);
        return rollouts.create(form)
                .map(r -> Response.seeOther(detailUri(r.getId())).build())
                .orElseGet(() -> Response.status(Response.Status.BAD_REQUEST)
                        .type(MediaType.TEXT_HTML)
                        .entity(Templates.create(
                                withScanPolicies(form),
                                coreProfiles(),
                                clusters.list(null, 0).items()))
                        .build());
    }

    /**
     * The form with the tenant's SCAN policies to choose the scan gate from; a policy-service that does not answer
     * leaves the list out (the page says so) rather than the whole form.
     */
    private RolloutForm withScanPolicies(RolloutForm form) {
        return form.withScanPolicies(policies.scanPoliciesIfAnswering());
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@PathParam("id") String id, @HeaderParam("HX-Request") String htmx) {
        RolloutDetail detail = load(id);
        return htmx != null ? Templates.detail$live(detail) : Templates.detail(detail);
    }

    @GET
    @Path("/{id}/clusters/{clusterId}/rollback")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance rollbackConfirm(@PathParam("id") String id, @PathParam("clusterId") String clusterId) {
        RolloutDetail detail = load(id);
        String error = detail.rollout().getClusters().stream()
                        .anyMatch(c -> c.getClusterId().equals(clusterId) && detail.canRollBack(c))
                ? null
                : "Only a cluster that FAILED in this rollout can be rolled back.";
        return rollbackPage(detail, clusterId, error);
    }

    @POST
    @Path("/{id}/clusters/{clusterId}/rollback")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rollBack(@PathParam("id") String id, @PathParam("clusterId") String clusterId) {
        RolloutDetail detail = load(id);
        String refused = rollouts.rollBack(id, clusterId);
        if (refused != null) {
            return Response.status(Response.Status.CONFLICT)
                    .type(MediaType.TEXT_HTML)
                    .entity(rollbackPage(detail, clusterId, refused))
                    .build();
        }
        return Response.seeOther(detailUri(id)).build();
    }

    private TemplateInstance rollbackPage(RolloutDetail detail, String clusterId, String error) {
        return Templates.confirm(
                detail,
                "Roll back cluster " + detail.clusterName(clusterId) + "?",
                "The cluster goes back to the profile version it had before this rollout.",
                "clusters/" + clusterId + "/rollback",
                clusterId,
                error);
    }

    @GET
    @Path("/{id}/{action}")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance confirm(@PathParam("id") String id, @PathParam("action") String action) {
        RolloutDetail detail = load(id);
        RolloutAction a = RolloutAction.of(action).orElseThrow(() -> new NotFoundException("no action " + action));
        String error = a.allowed(detail.rollout().getStatus())
                ? null
                : a.label() + " is not possible while the rollout is "
                        + detail.rollout().getStatus() + ".";
        return actionPage(detail, a, error);
    }

    @POST
    @Path("/{id}/{action}")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(@PathParam("id") String id, @PathParam("action") String action) {
        RolloutAction a = RolloutAction.of(action).orElseThrow(() -> new NotFoundException("no action " + action));
        RolloutDetail detail = load(id);
        String refused = rollouts.act(id, a);
        if (refused != null) {
            return Response.status(Response.Status.CONFLICT)
                    .type(MediaType.TEXT_HTML)
                    .entity(actionPage(detail, a, refused))
                    .build();
        }
        return Response.seeOther(detailUri(id)).build();
    }

    private static TemplateInstance actionPage(RolloutDetail detail, RolloutAction a, String error) {
        return Templates.confirm(
                detail,
                a.label() + " rollout " + detail.rollout().getName() + "?",
                a.consequence(),
                a.path(),
                null,
                error);
    }

    private List<ProfileView> coreProfiles() {
        return profiles.list(null).stream()
                .filter(p -> p.getType() != ProfileType.ADDON)
                .toList();
    }

    private Map<String, String> profileNames() {
        Map<String, String> names = new LinkedHashMap<>();
        profiles.list(null).forEach(p -> names.put(p.getId(), p.getName() + " " + p.getVersion()));
        return names;
    }

    private RolloutDetail load(String id) {
        Rollout rollout = rollouts.get(id).orElseThrow(() -> new NotFoundException("no rollout " + id));
        Map<String, String> clusterNames = new LinkedHashMap<>();
        clusters.list(null, 0).items().forEach(c -> clusterNames.put(c.getId(), c.getName()));
        return new RolloutDetail(rollout, profileNames(), clusterNames, scanPolicyName(rollout));
    }

    /** The name of the rollout's scan gate policy; its id when it has none any more or policy-service is away. */
    private String scanPolicyName(Rollout rollout) {
        if (rollout.getStrategy() == null || rollout.getStrategy().getScan() == null) {
            return null;
        }
        String id = rollout.getStrategy().getScan().getPolicyId();
        try {
            return policies.get(id).map(PolicyView::getName).orElse(id);
        } catch (ServiceCallFailed e) {
            return id;
        }
    }

    private static java.net.URI detailUri(String id) {
        return UriBuilder.fromPath("/rollouts/{id}").build(id);
    }
}
