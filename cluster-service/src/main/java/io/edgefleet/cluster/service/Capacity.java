package io.edgefleet.cluster.service;

import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.kit.rest.Validator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Whether the nodes a cluster is about to add fit on their appliances: what each appliance reported (vCPUs, memory,
 * storage pool space) less what the nodes already there use — of other clusters and of this cluster. No I/O (like
 * {@link io.edgefleet.cluster.orchestration.Planner}): {@link Preflight} loads the inventories and the nodes, this
 * decides.
 * <p>
 * A node uses its pool's {@code memoryGb} (containerized: the container's limit; 0 is none and counts nothing) and,
 * virtualized, its {@code cpu} vCPUs; a containerized node's {@code cpu} is a limit on its share of CPUs the containers
 * share, so it only has to be within the appliance's CPUs. Nodes are spread over a pool's appliances in order (node k on appliance k mod n); a pool adds on an
 * appliance what it should have there and has not yet.
 */
public final class Capacity {

    static final long GIB = 1024L * 1024 * 1024;

    /** What the nodes already on one appliance use (not yet deleted ones, whatever their target). */
    public record Used(int nodes, long cpus, long memoryBytes) {
        public static final Used NONE = new Used(0, 0, 0);

        public Used plus(int count, long cpu, long memory) {
            return new Used(nodes + count, cpus + cpu, memoryBytes + memory);
        }
    }

    private Capacity() {}

    /** Nodes of the pool on its {@code applianceIndex}-th appliance when it has its full size. */
    public static int nodesOn(PoolSpec pool, int applianceIndex) {
        int n = pool.appliances().size();
        return pool.size() / n + (applianceIndex < pool.size() % n ? 1 : 0);
    }

    /**
     * @param pools        the cluster's pools as they are to be (indexes name the fields: {@code pools[i].cpu})
     * @param checked      the pools that grow (or are new): only their problems are reported
     * @param inventories  what each appliance reported, by uid (absent: unknown, not checked)
     * @param used         what the nodes already on each appliance use, by uid (this cluster's included)
     * @param live         this cluster's live nodes per pool and appliance ({@code pool/uid} → count)
     */
    public static void check(
            boolean virtualized,
            List<PoolSpec> pools,
            Set<String> checked,
            Map<String, Inventory> inventories,
            Map<String, Used> used,
            Map<String, Integer> live,
            Validator v) {
        Map<String, Long> cpus = new HashMap<>();
        Map<String, Long> memory = new HashMap<>();
        Map<String, Integer> nodesAdded = new HashMap<>();
        Map<String, Long> storage = new HashMap<>();
        for (int i = 0; i < pools.size(); i++) {
            PoolSpec pool = pools.get(i);
            String at = "pools[" + i + "]";
            for (int j = 0; j < pool.appliances().size(); j++) {
                Placement p = pool.appliances().get(j);
                Inventory inv = inventories.get(p.uid());
                int added = Math.max(0, nodesOn(pool, j) - live.getOrDefault(pool.name() + "/" + p.uid(), 0));
                if (inv == null || added == 0) {
                    continue;
                }
                boolean report = checked.contains(pool.name());
                String app = "pool '" + pool.name() + "', appliance '" + p.uid() + "': ";
                Used there = used.getOrDefault(p.uid(), Used.NONE);
                int nodes = nodesAdded.merge(p.uid(), added, Integer::sum);
                if (virtualized) { // vCPUs are the domains' own: they add up
                    long cpu = cpus.merge(p.uid(), (long) added * pool.cpu(), Long::sum);
                    check(
                            report,
                            there.cpus() + cpu <= inv.cpus(),
                            at + ".cpu",
                            app + need(nodes, cpu + " vCPUs") + " there, the appliance has " + inv.cpus()
                                    + inUse(there, there.cpus() + "", Math.max(0, inv.cpus() - there.cpus()) + ""),
                            v);
                } else { // a container's CPU limit caps its share of the appliance's CPUs, which containers share
                    check(
                            report,
                            pool.cpu() <= inv.cpus(),
                            at + ".cpu",
                            app + "a container limit of " + pool.cpu() + " CPUs is more than the appliance's "
                                    + inv.cpus(),
                            v);
                }
                if (pool.cpuSet() != null) {
                    check(
                            report,
                            ClusterInputRules.highestCpu(pool.cpuSet()) < inv.cpus(),
                            at + ".cpuSet",
                            app + "CPU set " + pool.cpuSet() + " names CPUs the appliance does not have (it has "
                                    + inv.cpus() + ")",
                            v);
                }
                long mem = memory.merge(p.uid(), added * pool.memoryGb() * GIB, Long::sum);
                if (pool.memoryGb() > 0) {
                    check(
                            report,
                            there.memoryBytes() + mem <= inv.memoryBytes(),
                            at + ".memoryGb",
                            app + need(nodes, gb(mem) + " GB of memory") + " there, the appliance has "
                                    + gb(inv.memoryBytes()) + " GB"
                                    + inUse(
                                            there,
                                            gb(there.memoryBytes()) + " GB",
                                            gb(Math.max(0, inv.memoryBytes() - there.memoryBytes())) + " GB"),
                            v);
                }
                if (virtualized && inv.libvirt() != null) {
                    disk(
                            report,
                            storage,
                            inv,
                            p.uid(),
                            p.targetPool(),
                            added * pool.rootDiskGb() * GIB,
                            at + ".rootDiskGb",
                            app,
                            v);
                    disk(
                            report,
                            storage,
                            inv,
                            p.uid(),
                            p.dataPool(),
                            added * pool.dataDiskGb() * GIB,
                            at + ".dataDiskGb",
                            app,
                            v);
                }
            }
        }
    }

    private static String need(int nodes, String what) {
        return "the cluster's " + (nodes == 1 ? "new node needs " : nodes + " new nodes need ") + what;
    }

    private static String inUse(Used there, String used, String free) {
        if (there.nodes() == 0) {
            return "";
        }
        return ", of which " + there.nodes() + (there.nodes() == 1 ? " node" : " nodes") + " already there use " + used
                + " (" + free + " free)";
    }

    /** Whole GB, rounded down (what an operator sees on the appliance). */
    private static long gb(long bytes) {
        return bytes / GIB;
    }

    private static void disk(
            boolean report,
            Map<String, Long> used,
            Inventory inv,
            String uid,
            String poolName,
            long bytes,
            String field,
            String app,
            Validator v) {
        if (bytes == 0) {
            return;
        }
        if (inv.libvirt().storagePools() == null) {
            return;
        }
        Inventory.StoragePool sp = inv.libvirt().storagePools().stream()
                .filter(s -> s != null && Objects.equals(s.name(), poolName))
                .findFirst()
                .orElse(null);
        if (sp == null) {
            return;
        }
        // the appliance reports what is available now: the volumes already there are counted in it
        long total = used.merge(uid + "/" + poolName, bytes, Long::sum);
        check(
                report,
                total <= sp.availableBytes(),
                field,
                app + "the cluster's new disks need " + gb(total) + " GB in storage pool '" + poolName + "', it has "
                        + gb(sp.availableBytes()) + " GB available",
                v);
    }

    private static void check(boolean report, boolean ok, String field, String message, Validator v) {
        if (report) {
            v.require(ok, field, message);
        }
    }
}
