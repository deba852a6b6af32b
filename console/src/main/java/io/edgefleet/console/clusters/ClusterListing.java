package io.edgefleet.console.clusters;

import io.edgefleet.sdk.model.ClusterView;

import java.util.List;

/**
 * One clusters page: the status filter as the operator set it, the clusters that match (one page of the service's),
 * and a problem with the filter instead of the list.
 */
public record ClusterListing(String status, int page, List<ClusterView> items, long total, String filterError) {

    public boolean more() {
        return (long) (page + 1) * Clusters.PAGE_SIZE < total;
    }
}
