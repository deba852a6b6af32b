package io.edgefleet.console.clusters;

import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.NodeView;
import io.edgefleet.sdk.model.TaskView;

import java.util.List;

/**
 * One cluster as its detail page shows it: the cluster, its nodes (with their addresses) and its latest tasks (newest
 * first), and the actions the signed-in admin is offered.
 */
public record ClusterDetail(ClusterView cluster, List<NodeView> nodes, List<TaskView> tasks) {

    /** The page shows this many of the latest tasks. */
    public static final int TASKS_SHOWN = 25;

    public List<ClusterAction> actions() {
        return ClusterAction.offered(cluster);
    }

    public boolean offers(String action) {
        return ClusterAction.of(action).map(a -> a.allowed(cluster)).orElse(false);
    }

    /** Still changing by itself: the page reloads its live part every few seconds. */
    public boolean live() {
        return ClusterAction.changing(cluster.getStatus());
    }

    public long nodesRunning() {
        return nodes.stream()
                .filter(n -> n.getState() != null && n.getState().getValue().equals("RUNNING"))
                .count();
    }
}
