package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.cluster.repository.NodeTarget;
import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.RollingStrategy;
import io.edgefleet.events.payload.ClusterHealth;
import io.edgefleet.events.payload.ClusterStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Health and repairs without I/O: which nodes are down, what the reason says, which are started again and when. */
class NodeHealthTest {

    private static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(2);
    private static final PoolSpec WORKERS = new PoolSpec(
            "workers",
            false,
            2,
            false,
            RollingStrategy.EXPAND_FIRST,
            1,
            1,
            0,
            0,
            null,
            List.of(new Placement("shop-1", null, null, null, null, null)));

    private static ClusterNode running(String id) {
        ClusterNode n = ClusterNode.planned("c00000001", id, WORKERS, "shop-1", "h", NOW.minusSeconds(3_600));
        n.stage = NodeStage.RUNNING;
        n.observedState = "RUNNING";
        return n;
    }

    private static ClusterNode down(String id, String state, Duration forHowLong, String message) {
        ClusterNode n = running(id);
        n.observedState = state;
        n.downSince = NOW.minus(forHowLong);
        n.message = message;
        return n;
    }

    private static List<String> started(NodeHealth.Assessment a) {
        return a.toStart().stream().map(n -> n.nodeId).toList();
    }

    @Test
    void everyNodeRunningIsHealthy() {
        NodeHealth.Assessment a =
                NodeHealth.assess(ClusterStatus.RUNNING, List.of(running("w1"), running("w2")), NOW, GRACE);
        assertEquals(ClusterHealth.HEALTHY, a.health());
        assertNull(a.reason());
        assertEquals(List.of(), a.toStart());
    }

    @Test
    void aStoppedNodeDegradesTheClusterSayingWhichWhereSinceWhenAndWhy() {
        NodeHealth.Assessment a = NodeHealth.assess(
                ClusterStatus.RUNNING,
                List.of(
                        running("w1"),
                        down("w2", "STOPPED", Duration.ofSeconds(30), "docker event stop: exited with code 0")),
                NOW,
                GRACE);
        assertEquals(ClusterHealth.DEGRADED, a.health());
        assertEquals(
                "node w2 on appliance shop-1 STOPPED since 2026-12-06T05:59:30Z (docker event stop: exited with code 0)",
                a.reason());
        assertEquals(List.of(), a.toStart(), "within the grace period the appliance may recover by itself");
    }

    @Test
    void aNodeDownPastTheGracePeriodIsStartedAgainOnceAndSeveralDownAreCounted() {
        ClusterNode crashed = down("w1", "FAILED", GRACE, "exited with code 137");
        ClusterNode stopped = down("w2", "STOPPED", GRACE.plusSeconds(60), null);
        NodeHealth.Assessment a = NodeHealth.assess(ClusterStatus.RUNNING, List.of(crashed, stopped), NOW, GRACE);
        assertEquals(List.of("w1", "w2"), started(a));
        assertEquals(
                "2 nodes down: node w1 on appliance shop-1 FAILED since 2026-12-06T05:58:00Z (exited with code 137);"
                        + " node w2 on appliance shop-1 STOPPED since 2026-12-06T05:57:00Z",
                a.reason());

        crashed.awaitingCommand = "start-1"; // under way: still down, not started twice
        NodeHealth.Assessment again = NodeHealth.assess(ClusterStatus.RUNNING, List.of(crashed, stopped), NOW, GRACE);
        assertEquals(ClusterHealth.DEGRADED, again.health());
        assertEquals(List.of("w2"), started(again));
    }

    @Test
    void aBrokenNodeIsLeftToThePlannerWhichReplacesIt() {
        ClusterNode broken =
                down("w1", "FAILED", Duration.ofMinutes(10), "it would not start (no such node): it is replaced");
        broken.broken = true;
        NodeHealth.Assessment a = NodeHealth.assess(ClusterStatus.UPDATING, List.of(broken), NOW, GRACE);
        assertEquals(ClusterHealth.DEGRADED, a.health(), "down until it is gone");
        assertEquals(List.of(), a.toStart());
        broken.target = NodeTarget.ABSENT; // retired by the planner
        assertEquals(
                ClusterHealth.HEALTHY,
                NodeHealth.assess(ClusterStatus.UPDATING, List.of(broken), NOW, GRACE)
                        .health());
    }

    @Test
    void onlyAClusterThatIsBuiltOrRunRepairsAFailedOneWaitsForRetryAndADeletingOneNeedsNoNodes() {
        for (ClusterStatus status : ClusterStatus.values()) {
            ClusterNode n = down("w1", "STOPPED", Duration.ofMinutes(5), null);
            NodeHealth.Assessment a = NodeHealth.assess(status, List.of(n), NOW, GRACE);
            boolean repairs = status == ClusterStatus.PROVISIONING
                    || status == ClusterStatus.UPDATING
                    || status == ClusterStatus.RUNNING;
            assertEquals(repairs ? List.of("w1") : List.of(), started(a), status.name());
        }
        ClusterNode leaving = down("w1", "STOPPED", Duration.ofMinutes(5), null);
        leaving.target = NodeTarget.ABSENT;
        assertEquals(
                ClusterHealth.HEALTHY,
                NodeHealth.assess(ClusterStatus.DELETING, List.of(leaving), NOW, GRACE)
                        .health(),
                "a node on its way out need not run");
    }

    @Test
    void nodesNotYetCreatedDoNotCount() {
        ClusterNode creating = running("w1");
        creating.stage = NodeStage.CREATING;
        creating.observedState = "STOPPED"; // e.g. a create that has not started it yet
        creating.downSince = NOW.minus(Duration.ofMinutes(5));
        assertEquals(
                ClusterHealth.HEALTHY,
                NodeHealth.assess(ClusterStatus.PROVISIONING, List.of(creating), NOW, GRACE)
                        .health());
    }
}
