package io.edgefleet.gateway.nodes;

import java.util.regex.Pattern;

/**
 * Names and labels every driver uses, so that nodes are recognisable (by people and by the gateway's
 * reconciliation) and ids cannot inject anything into names, XML, labels or paths.
 */
public final class NodeNames {

    /** Cluster and node ids: lowercase letters, digits and '-', at most 40 characters. */
    public static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
    /** Pool names: like ids, up to 63 characters. */
    public static final Pattern POOL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public static final String LABEL_PREFIX = "io.edgefleet.";
    public static final String MANAGED = LABEL_PREFIX + "managed";
    public static final String TENANT = LABEL_PREFIX + "tenant";
    public static final String CLUSTER = LABEL_PREFIX + "cluster";
    public static final String POOL_LABEL = LABEL_PREFIX + "pool";
    public static final String NODE = LABEL_PREFIX + "node";
    public static final String COMMAND = LABEL_PREFIX + "command";
    public static final String ROLE = LABEL_PREFIX + "role";

    private NodeNames() {}

    /** Container or domain name of a node: {@code ef-<cluster>-<node>}. */
    public static String nodeName(String clusterId, String nodeId) {
        return "ef-" + checkId(clusterId, "cluster id") + "-" + checkId(nodeId, "node id");
    }

    /** Docker network (or other per-cluster resource) name: {@code ef-<cluster>}. */
    public static String clusterResourceName(String clusterId) {
        return "ef-" + checkId(clusterId, "cluster id");
    }

    public static String checkId(String id, String what) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " '" + id + "' must be 1 to 40 lowercase letters, digits or '-'");
        }
        return id;
    }
}
