package io.edgefleet.console.fleet;

import io.edgefleet.sdk.model.ApplianceView;
import io.edgefleet.sdk.model.ClusterView;

import java.util.List;
import java.util.Map;

/**
 * The fleet at a glance: appliances and clusters counted by status, and what needs attention (unreachable appliances,
 * failed clusters). A service that did not answer is named instead of its part ({@code clustersError}), so one
 * service down does not take the whole page with it.
 */
public record FleetOverview(
        Map<String, Long> appliancesByStatus,
        List<ApplianceView> unreachable,
        long unreachableTotal,
        Map<String, Long> clustersByStatus,
        List<ClusterView> failed,
        long failedTotal,
        String appliancesError,
        String clustersError) {

    public long appliances() {
        return appliancesByStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    public long clusters() {
        return clustersByStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Nothing to look at: every appliance answers and no cluster failed (and both services answered). */
    public boolean allWell() {
        return unreachableTotal == 0 && failedTotal == 0 && appliancesError == null && clustersError == null;
    }
}
