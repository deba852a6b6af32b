package io.edgefleet.console.fleet;

import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.ApplianceStatus;
import io.edgefleet.sdk.model.ApplianceView;
import io.edgefleet.sdk.model.ClusterStatus;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.PageApplianceView;
import io.edgefleet.sdk.model.PageClusterView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@link FleetOverview}: one count per status (a page of one, its total), and the first unreachable
 * appliances and failed clusters.
 */
@ApplicationScoped
public class Overviews {

    static final String CLUSTER_SERVICE = "cluster-service";
    static final int ATTENTION_ITEMS = 20;

    @Inject
    FleetApi api;

    public FleetOverview read() {
        Map<String, Long> appliances = new LinkedHashMap<>();
        List<ApplianceView> unreachable = List.of();
        long unreachableTotal = 0;
        String appliancesError = null;
        try {
            for (ApplianceStatus status : ApplianceStatus.values()) {
                PageApplianceView page = api.fleet().appliances().listAppliances(null, 0, 1, status, null);
                appliances.put(status.getValue(), total(page.getTotal()));
            }
            PageApplianceView page = api.fleet()
                    .appliances()
                    .listAppliances(null, 0, ATTENTION_ITEMS, ApplianceStatus.UNREACHABLE, null);
            unreachable = page.getItems();
            unreachableTotal = total(page.getTotal());
        } catch (ApiException e) {
            appliancesError = Appliances.failed(e).getMessage();
        }
        Map<String, Long> clusters = new LinkedHashMap<>();
        List<ClusterView> failed = List.of();
        long failedTotal = 0;
        String clustersError = null;
        try {
            for (ClusterStatus status : ClusterStatus.values()) {
                if (status == ClusterStatus.DELETED) {
                    continue; // never listed
                }
                PageClusterView page = api.fleet().clusters().listClusters(0, 1, status);
                clusters.put(status.getValue(), total(page.getTotal()));
            }
            PageClusterView page = api.fleet().clusters().listClusters(0, ATTENTION_ITEMS, ClusterStatus.FAILED);
            failed = page.getItems();
            failedTotal = total(page.getTotal());
        } catch (ApiException e) {
            clustersError = Appliances.failed(CLUSTER_SERVICE, e).getMessage();
        }
        return new FleetOverview(
                appliances,
                unreachable,
                unreachableTotal,
                clusters,
                failed,
                failedTotal,
                appliancesError,
                clustersError);
    }

    private static long total(Long total) {
        return total == null ? 0 : total;
    }
}
