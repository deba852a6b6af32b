package io.edgefleet.policy.service;

import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.policy.repository.KnownCluster;
import io.edgefleet.policy.repository.RunNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which node of the target cluster gets which archive. */
class RestoreMatchTest {

    private static RunNode archived(String nodeId, String pool) {
        RunNode t = new RunNode();
        t.nodeId = nodeId;
        t.poolName = pool;
        t.output = new TaskOutput(null, new TaskOutput.Archive("k/" + nodeId, 1, "sha-" + nodeId, List.of()), null);
        return t;
    }

    private static KnownCluster cluster(ClusterSnapshot.Node... nodes) {
        KnownCluster c = new KnownCluster();
        c.id = "ctarget";
        c.nodes = new KnownCluster.Nodes(List.of(nodes));
        return c;
    }

    private static ClusterSnapshot.Node node(String id, String pool, String state) {
        return new ClusterSnapshot.Node(id, pool, "app", state);
    }

    @Test
    void archivesGoToTheSamePoolInNodeOrder() {
        Map<String, TaskOutput.Archive> m = RunService.match(
                List.of(archived("a-w1", "workers"), archived("a-m0", "masters"), archived("a-w0", "workers")),
                cluster(
                        node("b-w7", "workers", "RUNNING"),
                        node("b-m3", "masters", "RUNNING"),
                        node("b-w2", "workers", "RUNNING"),
                        node("b-w9", "workers", "RUNNING"),
                        node("b-w0", "workers", "DELETING")));
        assertEquals(
                Map.of("b-m3", "sha-a-m0", "b-w2", "sha-a-w0", "b-w7", "sha-a-w1"),
                m.entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().sha256())));
    }

    @Test
    void aTargetWithTooFewNodesIsRefused() {
        ProblemException e = assertThrows(
                ProblemException.class,
                () -> RunService.match(
                        List.of(archived("a-w0", "workers"), archived("a-w1", "workers")),
                        cluster(node("b-w0", "workers", "RUNNING"))));
        assertEquals(409, e.status());
    }
}
