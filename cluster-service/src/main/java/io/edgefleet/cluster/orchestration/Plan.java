package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.events.payload.ClusterStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * What one reconcile pass decided: the cluster's next status (if it changes), nodes to add, and node
 * commands to send. Changes of existing nodes' targets are made on the nodes themselves.
 */
public final class Plan {

    /**
     * A command to send: create, delete or start (a repair, see {@link NodeHealth}) {@code node}, or clean up the
     * cluster on {@code applianceUid}. {@code again}: the node's last command, which timed out unanswered, sent again
     * under its id (its task reopened), not a new one.
     */
    public record Send(Kind kind, ClusterNode node, String applianceUid, boolean again) {

        public Send(Kind kind, ClusterNode node, String applianceUid) {
            this(kind, node, applianceUid, false);
        }

        public enum Kind {
            CREATE,
            DELETE,
            START,
            CLEANUP
        }
    }

    final List<ClusterStatus> transitions = new ArrayList<>();
    final List<ClusterNode> added = new ArrayList<>();
    final List<Send> sends = new ArrayList<>();
    /** Never-sent nodes the pass dropped (PENDING → DELETED without a command). */
    final List<ClusterNode> dropped = new ArrayList<>();

    public List<ClusterStatus> transitions() {
        return transitions;
    }

    public List<ClusterNode> added() {
        return added;
    }

    public List<Send> sends() {
        return sends;
    }

    public List<ClusterNode> dropped() {
        return dropped;
    }

    public boolean changesNodes() {
        return !added.isEmpty() || !sends.isEmpty() || !dropped.isEmpty();
    }
}
