package io.edgefleet.console.web;

import io.edgefleet.console.clusters.Clusters;
import io.edgefleet.console.fleet.ServiceCallFailed;
import io.edgefleet.console.forms.PolicyForm;
import io.edgefleet.console.policies.Policies;
import io.edgefleet.console.security.Roles;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.RunView;
import io.edgefleet.sdk.model.ScanKind;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.RestForm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Policies (policy-service): the list (by kind), one policy (schedule, clusters, settings, latest runs), the create
 * and edit form (the service's field errors at their fields, all at once), delete after a confirm page.
 */
@Path("/policies")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class PolicyPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<PolicyView> policies, String kind, List<String> kinds);

        static native TemplateInstance detail(PolicyView policy, List<RunView> runs, Map<String, String> clusterNames);

        static native TemplateInstance form(
                PolicyView policy,
                PolicyForm form,
                List<ClusterChoice> clusters,
                String clustersError,
                List<String> scanKinds);

        static native TemplateInstance delete(PolicyView policy);
    }

    /** A cluster the policy may apply to, as a check box. */
    public record ClusterChoice(String id, String name, String status) {}

    @Inject
    Policies policies;

    @Inject
    Clusters clusters;

    @GET
    public TemplateInstance list(@QueryParam("kind") String kind) {
        String shown = kind == null ? "" : kind.strip();
        return Templates.list(policies.list(shown), shown, kinds());
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance newForm() {
        return form(null, PolicyForm.empty());
    }

    @POST
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@jakarta.ws.rs.BeanParam Post post) {
        PolicyForm form = post.form();
        return policies.create(form)
                .map(p -> Response.seeOther(
                                UriBuilder.fromPath("/policies/{id}").build(p.getId()))
                        .build())
                .orElseGet(() -> refused(null, form));
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@PathParam("id") String id) {
        PolicyView policy = load(id);
        return Templates.detail(policy, policies.runs(policy.getId()), clusterNames());
    }

    @GET
    @Path("/{id}/edit")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance editForm(@PathParam("id") String id) {
        PolicyView policy = load(id);
        return form(policy, PolicyForm.of(policy));
    }

    @POST
    @Path("/{id}/edit")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response edit(@PathParam("id") String id, @jakarta.ws.rs.BeanParam Post post) {
        PolicyView policy = load(id);
        PolicyForm form = post.form();
        return policies.replace(policy.getId(), form)
                .map(p -> Response.seeOther(
                                UriBuilder.fromPath("/policies/{id}").build(p.getId()))
                        .build())
                .orElseGet(() -> refused(policy, form));
    }

    @GET
    @Path("/{id}/delete")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance deleteForm(@PathParam("id") String id) {
        return Templates.delete(load(id));
    }

    @POST
    @Path("/{id}/delete")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("id") String id) {
        policies.delete(load(id).getId());
        return Response.seeOther(UriBuilder.fromPath("/policies").build()).build();
    }

    private Response refused(PolicyView policy, PolicyForm form) {
        return Response.status(Response.Status.BAD_REQUEST)
                .entity(form(policy, form))
                .type(MediaType.TEXT_HTML)
                .build();
    }

    private TemplateInstance form(PolicyView policy, PolicyForm form) {
        List<ClusterChoice> choices = new ArrayList<>();
        String error = null;
        try {
            for (ClusterView c : clusters.list(null, 0).items()) {
                choices.add(new ClusterChoice(c.getId(), c.getName(), String.valueOf(c.getStatus())));
            }
        } catch (ServiceCallFailed e) {
            error = e.getMessage();
        }
        // clusters the policy names that are not listed (deleted, or cluster-service not answering) stay choosable
        for (String id : form.in().clusterIds()) {
            if (choices.stream().noneMatch(c -> c.id().equals(id))) {
                choices.add(new ClusterChoice(id, id, "not listed"));
            }
        }
        return Templates.form(policy, form, choices, error, scanKinds());
    }

    /** Cluster names by id for the detail page; the ids alone when cluster-service does not answer. */
    private Map<String, String> clusterNames() {
        Map<String, String> names = new LinkedHashMap<>();
        try {
            clusters.list(null, 0).items().forEach(c -> names.put(c.getId(), c.getName()));
        } catch (ServiceCallFailed e) {
            // the ids are shown instead
        }
        return names;
    }

    private PolicyView load(String id) {
        return policies.get(id).orElseThrow(() -> new NotFoundException("no policy " + id));
    }

    static List<String> scanKinds() {
        return Arrays.stream(ScanKind.values()).map(ScanKind::getValue).toList();
    }

    static List<String> kinds() {
        return Arrays.stream(PolicyKind.values()).map(PolicyKind::getValue).toList();
    }

    /** The form's fields as posted. */
    public static class Post {
        @RestForm
        String name;

        @RestForm
        String kind;

        @RestForm
        String cron;

        @RestForm
        String timeZone;

        @RestForm
        List<String> clusterIds;

        @RestForm
        List<String> scanKinds;

        @RestForm
        String forbiddenPorts;

        @RestForm
        String endpoint;

        @RestForm
        String region;

        @RestForm
        String bucket;

        @RestForm
        String prefix;

        @RestForm
        String accessKeyId;

        @RestForm
        String secretAccessKey;

        @RestForm
        String paths;

        @RestForm
        String includeConfiguration;

        @RestForm
        String retentionCount;

        @RestForm
        String retentionMaxAgeDays;

        @RestForm
        String patchMode;

        @RestForm
        String patchCommand;

        @RestForm
        String rebootIfRequired;

        @RestForm
        String timeoutSeconds;

        PolicyForm form() {
            return new PolicyForm(new PolicyForm.Input(
                    name,
                    kind,
                    cron,
                    timeZone,
                    clusterIds,
                    scanKinds,
                    forbiddenPorts,
                    endpoint,
                    region,
                    bucket,
                    prefix,
                    accessKeyId,
                    secretAccessKey,
                    paths,
                    includeConfiguration != null,
                    retentionCount,
                    retentionMaxAgeDays,
                    patchMode,
                    patchCommand,
                    rebootIfRequired != null,
                    timeoutSeconds));
        }
    }
}
