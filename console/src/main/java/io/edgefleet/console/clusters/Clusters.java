package io.edgefleet.console.clusters;

import io.edgefleet.console.fleet.Appliances;
import io.edgefleet.console.fleet.FleetApi;
import io.edgefleet.console.fleet.ServiceProblem;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.ChangeProfileRequest;
import io.edgefleet.sdk.model.ClusterStatus;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.PageClusterView;
import io.edgefleet.sdk.model.ProfileRef;
import io.edgefleet.sdk.model.ScalePoolRequest;
import io.edgefleet.sdk.model.TaskView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The clusters of the signed-in user's tenant, read and acted on through cluster-service. */
@ApplicationScoped
public class Clusters {

    public static final String SERVICE = "cluster-service";
    static final int PAGE_SIZE = 200;

    @Inject
    FleetApi api;

    /** The statuses a list can be filtered by (DELETED clusters are never listed). */
    public static List<String> statuses() {
        return Arrays.stream(ClusterStatus.values())
                .filter(s -> s != ClusterStatus.DELETED)
                .map(ClusterStatus::getValue)
                .toList();
    }

    /** One page of the tenant's clusters with {@code status} (any when blank); a bad status is the listing's error. */
    public ClusterListing list(String status, int page) {
        ClusterStatus filter = null;
        if (status != null && !status.isBlank()) {
            try {
                filter = ClusterStatus.fromValue(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return new ClusterListing(
                        status, page, List.of(), 0, "status: one of " + String.join(", ", statuses()));
            }
        }
        try {
            PageClusterView p = api.fleet().clusters().listClusters(Math.max(page, 0), PAGE_SIZE, filter);
            List<ClusterView> items = p.getItems() == null ? List.of() : p.getItems();
            return new ClusterListing(status, page, items, p.getTotal() == null ? items.size() : p.getTotal(), null);
        } catch (ApiException e) {
            throw Appliances.failed(SERVICE, e);
        }
    }

    /**
     * The cluster with its nodes and latest tasks, or empty when the tenant has none with this id (another tenant's is
     * not found either: cluster-service answers 404).
     */
    public Optional<ClusterDetail> detail(String id) {
        try {
            ClusterView cluster = api.fleet().clusters().getCluster(id);
            var nodes = api.fleet().clusters().listClusterNodes(id);
            List<TaskView> tasks = new ArrayList<>(api.fleet().clusters().listClusterTasks(id, null));
            tasks.sort(Comparator.comparing(TaskView::getSeq, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .reversed());
            return Optional.of(new ClusterDetail(
                    cluster, nodes, tasks.subList(0, Math.min(tasks.size(), ClusterDetail.TASKS_SHOWN))));
        } catch (ApiException e) {
            if (e.getCode() == 404 || e.getCode() == 400) { // 400: not a cluster id at all
                return Optional.empty();
            }
            throw Appliances.failed(SERVICE, e);
        }
    }

    /**
     * Asks cluster-service to carry out {@code action} ({@code pool} and {@code size} for {@link ClusterAction#SCALE});
     * the cluster as it is afterwards, or the service's refusal (wrong state 409, bad size 400).
     */
    public ActionResult act(String id, ClusterAction action, String pool, Integer size) {
        try {
            ClusterView after = switch (action) {
                case ABORT -> api.fleet().clusters().abortCluster(id);
                case DELETE -> api.fleet().clusters().deleteCluster(id);
                case RETRY -> api.fleet().clusters().retryCluster(id);
                case SCALE -> api.fleet().clusters().scaleClusterPool(id, pool, new ScalePoolRequest().size(size));
                case PROFILE -> throw new IllegalArgumentException("a profile change names the profile: changeProfile");
            };
            return new ActionResult(after, null);
        } catch (ApiException e) {
            if (e.getCode() == 400 || e.getCode() == 409) {
                return new ActionResult(null, ServiceProblem.of(e));
            }
            throw Appliances.failed(SERVICE, e);
        }
    }

    /**
     * Gives {@code cluster} the profile version {@code profileId}, keeping its add-on profiles and pack overrides (the
     * API replaces all three: what is left out would be dropped); the service's refusal (400, 409) as the result.
     */
    public ActionResult changeProfile(ClusterView cluster, String profileId) {
        List<String> addons = cluster.getAddonProfiles() == null
                ? List.of()
                : cluster.getAddonProfiles().stream().map(ProfileRef::getId).toList();
        try {
            ClusterView after = api.fleet()
                    .clusters()
                    .changeClusterProfile(
                            cluster.getId(),
                            new ChangeProfileRequest()
                                    .profileId(profileId)
                                    .addonProfileIds(addons)
                                    .packValues(cluster.getPackValues()));
            return new ActionResult(after, null);
        } catch (ApiException e) {
            if (e.getCode() == 400 || e.getCode() == 409) {
                return new ActionResult(null, ServiceProblem.of(e));
            }
            throw Appliances.failed(SERVICE, e);
        }
    }

    /** What an action came to: the cluster afterwards, or the service's refusal. */
    public record ActionResult(ClusterView cluster, ServiceProblem refused) {

        public boolean done() {
            return refused == null;
        }

        /** The refusal in one line: the problem's detail and its field errors. */
        public String message() {
            if (refused == null) {
                return null;
            }
            StringBuilder text = new StringBuilder(
                    refused.detail() != null ? refused.detail() : refused.title() != null ? refused.title() : "");
            refused.fieldErrors().forEach((field, message) -> {
                if (!text.toString().contains(message)) {
                    text.append(text.isEmpty() ? "" : "; ")
                            .append(field)
                            .append(": ")
                            .append(message);
                }
            });
            return text.isEmpty() ? "cluster-service refused (" + refused.status() + ")" : text.toString();
        }
    }
}
