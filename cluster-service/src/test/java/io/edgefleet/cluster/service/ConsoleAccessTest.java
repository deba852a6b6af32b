package io.edgefleet.cluster.service;

import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.events.payload.ApplianceStatus;
import org.junit.jupiter.api.Test;

import static io.edgefleet.cluster.service.ConsoleAccess.Verdict.APPLIANCE_UNREACHABLE;
import static io.edgefleet.cluster.service.ConsoleAccess.Verdict.NO_CONSOLE;
import static io.edgefleet.cluster.service.ConsoleAccess.Verdict.READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleAccessTest {

    private static ClusterNode node(NodeStage stage, String lastCommand) {
        ClusterNode n = new ClusterNode();
        n.nodeId = "masters-1a2b";
        n.applianceUid = "shop-1";
        n.stage = stage;
        n.lastCommand = lastCommand;
        return n;
    }

    @Test
    void aNodeBeingCreatedOrRunningOrFailedIsReadWhileItsApplianceReports() {
        // CREATING above all: a guest that does not boot is why one reads its console
        for (NodeStage stage : new NodeStage[] {NodeStage.CREATING, NodeStage.RUNNING, NodeStage.FAILED}) {
            assertEquals(
                    READ,
                    ConsoleAccess.decide(node(stage, "cmd-1"), ApplianceStatus.READY)
                            .verdict(),
                    stage.name());
        }
    }

    @Test
    void aNodeNeverCreatedOrOnItsWayOutHasNoConsole() {
        ConsoleAccess.Decision pending = ConsoleAccess.decide(node(NodeStage.PENDING, null), ApplianceStatus.READY);
        assertEquals(NO_CONSOLE, pending.verdict());
        assertTrue(pending.reason().contains("has not been created"), pending.reason());
        assertEquals(
                NO_CONSOLE,
                ConsoleAccess.decide(node(NodeStage.DELETING, "cmd-2"), ApplianceStatus.READY)
                        .verdict());
        assertEquals(
                NO_CONSOLE,
                ConsoleAccess.decide(node(NodeStage.FAILED, null), ApplianceStatus.READY)
                        .verdict());
    }

    @Test
    void anApplianceNotReportingIsUnreachableAndSaysWhich() {
        for (ApplianceStatus status :
                new ApplianceStatus[] {ApplianceStatus.UNREACHABLE, ApplianceStatus.UNPAIRED, null}) {
            ConsoleAccess.Decision d = ConsoleAccess.decide(node(NodeStage.RUNNING, "cmd-1"), status);
            assertEquals(APPLIANCE_UNREACHABLE, d.verdict());
            assertTrue(d.reason().contains("appliance shop-1") && d.reason().contains("try again later"), d.reason());
        }
        // a node that has no console is that first, whatever its appliance
        assertEquals(
                NO_CONSOLE,
                ConsoleAccess.decide(node(NodeStage.PENDING, null), ApplianceStatus.UNREACHABLE)
                        .verdict());
    }
}
