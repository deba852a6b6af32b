package io.edgefleet.console.rollouts;

import io.edgefleet.sdk.model.Rollout;
import io.edgefleet.sdk.model.RolloutCluster;

import java.util.List;
import java.util.Map;

/**
 * A rollout as its page shows it, with the names of the profile versions, clusters and scan gate policy it refers to
 * by id (read from profile-, cluster- and policy-service; an id the tenant cannot see any more is shown as it is).
 */
public record RolloutDetail(
        Rollout rollout, Map<String, String> profileNames, Map<String, String> clusterNames, String scanPolicyName) {

    public String profileName(String id) {
        return id == null ? "–" : profileNames.getOrDefault(id, id);
    }

    public String clusterName(String id) {
        return id == null ? "–" : clusterNames.getOrDefault(id, id);
    }

    public List<RolloutAction> actions() {
        return RolloutAction.offered(rollout.getStatus());
    }

    public boolean live() {
        List<RolloutCluster> clusters = rollout.getClusters() == null ? List.of() : rollout.getClusters();
        return RolloutAction.changing(
                rollout.getStatus(),
                clusters.stream().map(RolloutCluster::getState).toList());
    }

    public boolean canRollBack(RolloutCluster cluster) {
        return RolloutAction.rollbackAllowed(cluster.getState());
    }
}
