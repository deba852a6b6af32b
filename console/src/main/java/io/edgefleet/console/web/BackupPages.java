package io.edgefleet.console.web;

import io.edgefleet.console.clusters.ClusterDetail;
import io.edgefleet.console.clusters.Clusters;
import io.edgefleet.console.fleet.ServiceCallFailed;
import io.edgefleet.console.runs.BackupOffers;
import io.edgefleet.console.runs.Runs;
import io.edgefleet.console.security.Roles;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.RunView;
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
import java.util.List;
import java.util.UUID;

/**
 * Backups (runs of BACKUP policies): one backup with its archives, "back up now" (runs one of the cluster's BACKUP
 * policies on it) and "restore" (into its cluster or another), each after a confirm page; tenant admins only.
 */
@Path("/backups")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class BackupPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance detail(RunView backup, boolean restorable);

        static native TemplateInstance backUp(ClusterView cluster, List<PolicyView> policies, String error);

        static native TemplateInstance restore(RunView backup, List<ClusterView> clusters, String target, String error);
    }

    @Inject
    Runs runs;

    @Inject
    Clusters clusters;

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@PathParam("id") String id) {
        RunView backup = load(id);
        return Templates.detail(backup, BackupOffers.restorable(backup));
    }

    /** The confirm page of "back up now": which of the cluster's BACKUP policies to run. */
    @GET
    @Path("/new")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance backUpForm(@QueryParam("cluster") String clusterId) {
        ClusterView cluster = cluster(clusterId);
        List<PolicyView> policies = runs.forCluster(cluster.getId()).backupPolicies();
        return Templates.backUp(
                cluster,
                policies,
                policies.isEmpty() ? "No BACKUP policy applies to this cluster: create one first." : null);
    }

    @POST
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response backUp(@RestForm String cluster, @RestForm String policyId) {
        ClusterView target = cluster(cluster);
        UUID policy;
        try {
            policy = UUID.fromString(policyId == null ? "" : policyId.strip());
        } catch (IllegalArgumentException e) {
            return refusedBackUp(target, "policyId: choose one of the cluster's BACKUP policies");
        }
        Runs.Started started = runs.backUp(policy, target.getId());
        if (!started.done()) {
            return refusedBackUp(target, started.refusal());
        }
        return Response.seeOther(
                        UriBuilder.fromPath("/backups/{id}").build(started.run().getId()))
                .build();
    }

    /** The confirm page of a restore: into which cluster (its own by default). */
    @GET
    @Path("/{id}/restore")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance restoreForm(@PathParam("id") String id) {
        RunView backup = load(id);
        return Templates.restore(
                backup, restoreTargets(backup), backup.getClusterId(), BackupOffers.whyNotRestorable(backup));
    }

    @POST
    @Path("/{id}/restore")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response restore(@PathParam("id") String id, @RestForm String clusterId) {
        RunView backup = load(id);
        // asked anyway when the page thinks it is not possible: policy-service decides, its refusal is shown
        Runs.Started started = runs.restore(backup.getId(), clusterId);
        if (!started.done()) {
            return Response.status(Response.Status.CONFLICT)
                    .type(MediaType.TEXT_HTML)
                    .entity(Templates.restore(backup, restoreTargets(backup), clusterId, started.refusal()))
                    .build();
        }
        return Response.seeOther(UriBuilder.fromPath("/restores/{id}")
                        .build(started.run().getId()))
                .build();
    }

    private Response refusedBackUp(ClusterView cluster, String message) {
        return Response.status(Response.Status.CONFLICT)
                .type(MediaType.TEXT_HTML)
                .entity(Templates.backUp(
                        cluster, runs.forCluster(cluster.getId()).backupPolicies(), message))
                .build();
    }

    /** The tenant's clusters to restore into, the backup's own first (kept when cluster-service lists it no more). */
    private List<ClusterView> restoreTargets(RunView backup) {
        List<ClusterView> targets = new ArrayList<>();
        try {
            targets.addAll(clusters.list(null, 0).items());
        } catch (ServiceCallFailed e) {
            // the backup's own cluster only
        }
        if (targets.stream().noneMatch(c -> c.getId().equals(backup.getClusterId()))) {
            targets.add(0, new ClusterView().id(backup.getClusterId()).name(backup.getClusterId()));
        }
        return targets;
    }

    private ClusterView cluster(String id) {
        return clusters.detail(id == null ? "" : id.strip())
                .map(ClusterDetail::cluster)
                .orElseThrow(() -> new NotFoundException("no cluster " + id));
    }

    private RunView load(String id) {
        return runs.backup(id).orElseThrow(() -> new NotFoundException("no backup " + id));
    }
}
