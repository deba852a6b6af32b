package io.edgefleet.console.clusters;

import io.edgefleet.sdk.model.ClusterStatus;
import io.edgefleet.sdk.model.ClusterView;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an operator may ask of a cluster in its present state, as cluster-service allows it (ClusterService: abort
 * while provisioning, delete once provisioned, retry when FAILED, scale when RUNNING, change the profile when RUNNING or
 * FAILED). The console offers only these,
 * so an admin is not shown a button the service would refuse; the service still decides (a refusal is shown).
 */
public enum ClusterAction {
    ABORT(
            "Abort",
            "Stop provisioning: no new node is created, the nodes made so far are removed, then the cluster is gone."),
    DELETE("Delete", "Remove every node and resource of the cluster from its appliances; the cluster is then gone."),
    RETRY("Retry", "Resume from where it failed: the failed steps get new commands."),
    SCALE(
            "Scale",
            "Change the pool's number of nodes (its rolling strategy decides whether nodes are added or removed first)."),
    PROFILE(
            "Change profile",
            "Give the cluster another profile version: a RUNNING cluster rolls its nodes onto it (UPDATING), a FAILED one"
                    + " only takes the new definition, which a retry then uses. Its add-on profiles and pack overrides"
                    + " are kept.");

    private final String label;
    private final String consequence;

    ClusterAction(String label, String consequence) {
        this.label = label;
        this.consequence = consequence;
    }

    public String label() {
        return label;
    }

    /** What confirming it does, said on the confirm page. */
    public String consequence() {
        return consequence;
    }

    /** The path segment ({@code abort}, ...). */
    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ClusterAction> of(String path) {
        return Arrays.stream(values()).filter(a -> a.path().equals(path)).findFirst();
    }

    /** Whether cluster-service accepts this action for a cluster in {@code status} (failed from {@code failedFrom}). */
    public boolean allowed(ClusterStatus status, ClusterStatus failedFrom) {
        if (status == null) {
            return false;
        }
        return switch (this) {
            case ABORT ->
                status == ClusterStatus.PENDING
                        || status == ClusterStatus.PROVISIONING
                        || status == ClusterStatus.FAILED && failedFrom == ClusterStatus.PROVISIONING;
            case DELETE ->
                status == ClusterStatus.RUNNING
                        || status == ClusterStatus.FAILED
                                && failedFrom != null
                                && failedFrom != ClusterStatus.PROVISIONING;
            case RETRY -> status == ClusterStatus.FAILED;
            case SCALE -> status == ClusterStatus.RUNNING;
            case PROFILE -> status == ClusterStatus.RUNNING || status == ClusterStatus.FAILED;
        };
    }

    public boolean allowed(ClusterView cluster) {
        return allowed(cluster.getStatus(), cluster.getFailedFrom());
    }

    /** The actions offered for {@code cluster}, in the order the page shows them. */
    public static List<ClusterAction> offered(ClusterView cluster) {
        return Arrays.stream(values()).filter(a -> a.allowed(cluster)).toList();
    }

    /**
     * Whether the cluster is changing by itself (nodes being made, rolled or removed): its detail page then follows
     * the progress live.
     */
    public static boolean changing(ClusterStatus status) {
        return status == ClusterStatus.PENDING
                || status == ClusterStatus.PROVISIONING
                || status == ClusterStatus.UPDATING
                || status == ClusterStatus.DELETING;
    }
}
