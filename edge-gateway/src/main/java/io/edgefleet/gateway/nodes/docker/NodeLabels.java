package io.edgefleet.gateway.nodes.docker;

import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.nodes.NodeNames;

import java.util.HashMap;
import java.util.Map;

/**
 * The labels the driver writes on its containers and networks, and the test of whether a container is
 * ours: the driver adopts, lists and removes only what carries them.
 */
final class NodeLabels {

    /** Prefix of the spec's own (informational) labels, so they cannot overwrite ours. */
    static final String SPEC_LABEL_PREFIX = NodeNames.LABEL_PREFIX + "label.";

    private NodeLabels() {}

    /** Labels of a cluster's network; a container's labels start with these. */
    static Map<String, String> cluster(String tenant, String clusterId) {
        Map<String, String> labels = new HashMap<>();
        labels.put(NodeNames.MANAGED, "true");
        labels.put(NodeNames.TENANT, tenant);
        labels.put(NodeNames.CLUSTER, clusterId);
        return labels;
    }

    static Map<String, String> node(NodeSpec spec, String tenant, String commandId) {
        Map<String, String> labels = new HashMap<>();
        if (spec.labels() != null) {
            spec.labels().forEach((key, value) -> labels.put(SPEC_LABEL_PREFIX + key, value));
        }
        labels.putAll(cluster(tenant, spec.clusterId()));
        labels.put(NodeNames.POOL_LABEL, spec.poolName());
        labels.put(NodeNames.NODE, spec.nodeId());
        labels.put(NodeNames.ROLE, spec.role().name());
        labels.put(NodeNames.COMMAND, commandId);
        return labels;
    }

    /** Managed by a gateway of this tenant (filter for list, events and cleanup). */
    static Map<String, String> managed(String tenant) {
        return Map.of(NodeNames.MANAGED, "true", NodeNames.TENANT, tenant);
    }

    static boolean isOurs(Map<String, String> labels, String tenant, String clusterId, String nodeId) {
        return labels != null
                && "true".equals(labels.get(NodeNames.MANAGED))
                && tenant.equals(labels.get(NodeNames.TENANT))
                && clusterId.equals(labels.get(NodeNames.CLUSTER))
                && (nodeId == null || nodeId.equals(labels.get(NodeNames.NODE)));
    }
}
