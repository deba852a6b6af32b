package io.edgefleet.cluster.service;

import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.events.payload.ApplianceStatus;

/**
 * Whether a node's console can be asked of its gateway now, and if not, why (no I/O: the rules are tested alone).
 * A node that was never created has no console; one whose appliance is not in touch cannot be read until it is.
 */
public final class ConsoleAccess {

    private ConsoleAccess() {}

    public enum Verdict {
        /** send the read */
        READ,
        /** 409: the node has no console to read (not created yet, or being deleted) */
        NO_CONSOLE,
        /** 503: its appliance's gateway is not reporting (a read would only wait) */
        APPLIANCE_UNREACHABLE
    }

    public record Decision(Verdict verdict, String reason) {}

    /** @param appliance the appliance's status in the projection; null when the projection does not know it */
    public static Decision decide(ClusterNode node, ApplianceStatus appliance) {
        String name = "node " + node.nodeId;
        if (node.lastCommand == null || node.stage == NodeStage.PENDING) {
            return new Decision(Verdict.NO_CONSOLE, name + " has not been created on its appliance yet");
        }
        if (node.stage == NodeStage.DELETING || node.stage == NodeStage.DELETED) {
            return new Decision(Verdict.NO_CONSOLE, name + " is being deleted");
        }
        if (appliance != ApplianceStatus.READY) {
            return new Decision(
                    Verdict.APPLIANCE_UNREACHABLE,
                    "appliance " + node.applianceUid + " of " + name + " is "
                            + (appliance == null ? "unknown" : appliance)
                            + ": its gateway is not reporting, so its console cannot be read now; try again later");
        }
        return new Decision(Verdict.READ, null);
    }
}
