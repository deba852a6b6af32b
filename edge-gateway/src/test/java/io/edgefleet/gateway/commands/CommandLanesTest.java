package io.edgefleet.gateway.commands;

import io.edgefleet.gateway.commands.CommandLanes.Lane;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The lanes' decisions alone: which queued commands may start. */
class CommandLanesTest {

    private static Lane node(String cluster, String node) {
        return new Lane(cluster, node);
    }

    @Test
    void differentNodesStartTogetherWithinTheBound() {
        CommandLanes lanes = new CommandLanes(2);
        lanes.add("a", node("c1", "n1"));
        lanes.add("b", node("c1", "n2"));
        lanes.add("c", node("c2", "n1"));
        assertEquals(List.of("a", "b"), lanes.startable());
        assertEquals(List.of(), lanes.startable(), "the bound is reached");
        assertEquals(1, lanes.queued());
        lanes.done("b");
        assertEquals(List.of("c"), lanes.startable(), "a freed slot goes to the oldest command that may start");
        assertEquals(2, lanes.running());
    }

    @Test
    void oneNodesCommandsRunOneAtATimeInArrivalOrder() {
        CommandLanes lanes = new CommandLanes(4);
        lanes.add("create", node("c1", "n1"));
        lanes.add("delete", node("c1", "n1"));
        lanes.add("other", node("c1", "n2"));
        assertEquals(List.of("create", "other"), lanes.startable(), "the delete waits behind its node's create");
        lanes.done("other");
        assertEquals(List.of(), lanes.startable());
        lanes.done("create");
        assertEquals(List.of("delete"), lanes.startable());
    }

    @Test
    void aWaitingCommandKeepsItsPlaceWhenTheBoundHoldsItBack() {
        CommandLanes lanes = new CommandLanes(1);
        lanes.add("n1-create", node("c1", "n1"));
        lanes.add("n2-create", node("c1", "n2"));
        lanes.add("n2-delete", node("c1", "n2"));
        assertEquals(List.of("n1-create"), lanes.startable());
        lanes.done("n1-create");
        assertEquals(List.of("n2-create"), lanes.startable(), "never the delete before its create");
        lanes.done("n2-create");
        assertEquals(List.of("n2-delete"), lanes.startable());
    }

    @Test
    void aClusterCleanupWaitsForTheClustersEarlierCommandsAndHoldsItsLaterOnes() {
        CommandLanes lanes = new CommandLanes(4);
        lanes.add("n1", node("c1", "n1"));
        lanes.add("cleanup", new Lane("c1", null));
        lanes.add("n2", node("c1", "n2"));
        lanes.add("elsewhere", node("c2", "n1"));
        assertEquals(List.of("n1", "elsewhere"), lanes.startable(), "another cluster is not held");
        lanes.done("n1");
        assertEquals(List.of("cleanup"), lanes.startable());
        lanes.done("cleanup");
        assertEquals(List.of("n2"), lanes.startable());
    }

    @Test
    void aCommandWithoutClusterHoldsEverything() {
        CommandLanes lanes = new CommandLanes(4);
        lanes.add("n1", node("c1", "n1"));
        lanes.add("unknown", new Lane(null, null));
        lanes.add("n2", node("c2", "n2"));
        assertEquals(List.of("n1"), lanes.startable());
        lanes.done("n1");
        assertEquals(List.of("unknown"), lanes.startable());
        lanes.done("unknown");
        assertEquals(List.of("n2"), lanes.startable());
    }

    @Test
    void aRepeatIsNotQueuedTwiceAndAStopDropsOnlyWhatHasNotStarted() {
        CommandLanes lanes = new CommandLanes(1);
        lanes.add("a", node("c1", "n1"));
        lanes.add("a", node("c1", "n1"));
        lanes.add("b", node("c1", "n2"));
        assertEquals(List.of("a"), lanes.startable());
        lanes.dropQueued();
        assertEquals(0, lanes.queued());
        assertEquals(1, lanes.running());
        lanes.done("a");
        assertEquals(List.of(), lanes.startable());
    }

    @Test
    void atLeastOneCommandMustBeAbleToRun() {
        assertThrows(IllegalArgumentException.class, () -> new CommandLanes(0));
    }
}
