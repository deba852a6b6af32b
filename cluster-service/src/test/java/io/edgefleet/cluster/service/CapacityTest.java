package io.edgefleet.cluster.service;

import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.RollingStrategy;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The capacity rules without I/O: the nodes a cluster adds must fit into what each appliance reported less what the
 * nodes already there use, of other clusters and of this one; each problem names the pool's field and the numbers.
 */
class CapacityTest {

    private static final long GIB = 1L << 30;

    private static PoolSpec pool(String name, boolean master, int size, int cpu, int memoryGb, String... uids) {
        return new PoolSpec(
                name,
                master,
                size,
                false,
                RollingStrategy.EXPAND_FIRST,
                cpu,
                memoryGb,
                0,
                0,
                null,
                Arrays.stream(uids)
                        .map(u -> new Placement(u, null, null, null, null, null))
                        .toList());
    }

    private static Inventory host(int cpus, long memoryGb) {
        return new Inventory("h", "10.0.0.1", cpus, memoryGb * GIB, List.of(), null, null);
    }

    private static List<Problem.FieldError> check(
            boolean virtualized,
            List<PoolSpec> pools,
            Set<String> checked,
            Map<String, Capacity.Used> used,
            Map<String, Integer> live) {
        Validator v = new Validator();
        Capacity.check(virtualized, pools, checked, Map.of("a", host(8, 16), "b", host(8, 16)), used, live, v);
        try {
            v.throwIfInvalid();
            return List.of();
        } catch (ProblemException e) {
            return e.toProblem(null).errors();
        }
    }

    @Test
    void aNewClusterFitsIntoWhatOtherClustersNodesLeave() {
        List<PoolSpec> pools = List.of(pool("cp", true, 1, 2, 4, "a"), pool("w", false, 2, 2, 4, "a"));
        assertEquals(List.of(), check(true, pools, Set.of("cp", "w"), Map.of(), Map.of()));
        // another cluster's 2 nodes (4 vCPUs, 6 GB) are still on the appliance
        Map<String, Capacity.Used> others = Map.of("a", new Capacity.Used(2, 4, 6 * GIB));
        assertEquals(
                List.of(
                        new Problem.FieldError(
                                "pools[1].cpu",
                                "pool 'w', appliance 'a': the cluster's 3 new nodes need 6 vCPUs there, "
                                        + "the appliance has 8, of which 2 nodes already there use 4 (4 free)"),
                        new Problem.FieldError(
                                "pools[1].memoryGb",
                                "pool 'w', appliance 'a': the cluster's 3 new nodes need 12 GB of "
                                        + "memory there, the appliance has 16 GB, of which 2 nodes already there use 6 GB (10 GB free)")),
                check(true, pools, Set.of("cp", "w"), others, Map.of()));
    }

    @Test
    void aGrowingPoolCountsTheClustersOwnNodesOnceAndOnlyAddsWhatIsMissing() {
        // 1 master + 2 workers run on 'a' (6 vCPUs, 12 GB); the workers grow to 3: one more of 2 vCPUs, 4 GB fits
        // exactly
        List<PoolSpec> grown = List.of(pool("cp", true, 1, 2, 4, "a"), pool("w", false, 3, 2, 4, "a"));
        Map<String, Capacity.Used> own = Map.of("a", new Capacity.Used(3, 6, 12 * GIB));
        Map<String, Integer> live = Map.of("cp/a", 1, "w/a", 2);
        assertEquals(List.of(), check(true, grown, Set.of("w"), own, live));
        List<PoolSpec> tooMany = List.of(pool("cp", true, 1, 2, 4, "a"), pool("w", false, 4, 2, 4, "a"));
        assertEquals(
                List.of("pools[1].cpu", "pools[1].memoryGb"),
                check(true, tooMany, Set.of("w"), own, live).stream()
                        .map(Problem.FieldError::field)
                        .toList());
    }

    @Test
    void nodesSpreadOverThePoolsAppliancesInOrder() {
        // 3 workers over a and b: 2 on a, 1 on b; b already holds 14 GB of other nodes
        List<PoolSpec> pools = List.of(pool("w", false, 3, 1, 4, "a", "b"));
        List<Problem.FieldError> errors =
                check(false, pools, Set.of("w"), Map.of("b", new Capacity.Used(1, 0, 14 * GIB)), Map.of());
        assertEquals(
                List.of(
                        new Problem.FieldError(
                                "pools[0].memoryGb",
                                "pool 'w', appliance 'b': the cluster's new node needs 4 GB of "
                                        + "memory there, the appliance has 16 GB, of which 1 node already there use 14 GB (2 GB free)")),
                errors);
    }

    @Test
    void containerLimitsShareTheCpusButMemoryAddsUp() {
        // containerized: a CPU limit caps a container's share (8 containers of 2 CPUs share 8 CPUs), it only must exist
        // there
        assertEquals(List.of(), check(false, List.of(pool("w", false, 8, 2, 1, "a")), Set.of("w"), Map.of(), Map.of()));
        assertEquals(
                List.of(new Problem.FieldError(
                        "pools[0].cpu",
                        "pool 'w', appliance 'a': a container limit of 12 CPUs is more than " + "the appliance's 8")),
                check(false, List.of(pool("w", false, 1, 12, 0, "a")), Set.of("w"), Map.of(), Map.of()));
        // a pool that is not checked (it shrinks or stays) reports nothing, an unknown appliance is not judged
        assertEquals(
                List.of(), check(true, List.of(pool("w", false, 9, 2, 4, "a", "c")), Set.of(), Map.of(), Map.of()));
    }
}
