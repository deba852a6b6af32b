package io.edgefleet.cluster.service;

import io.edgefleet.cluster.bootstrap.NodeSpecRenderer;
import io.edgefleet.cluster.bootstrap.RenderException;
import io.edgefleet.cluster.bootstrap.StackValues;
import io.edgefleet.cluster.repository.AppliedProfiles;
import io.edgefleet.cluster.repository.ApplianceClaims;
import io.edgefleet.cluster.repository.CloudConfig;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.KnownAppliance;
import io.edgefleet.cluster.repository.KnownProfile;
import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.ProfileCopy;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.ProfileType;
import io.edgefleet.kit.rest.Validator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pre-flight validation: the checks that need what cluster-service knows from events (its projections of
 * profiles and appliances), run before any node operation. Every error names the pool, the appliance and
 * the field.
 */
@ApplicationScoped
public class Preflight {

    private static final long GIB = 1024L * 1024 * 1024;

    @Inject
    ApplianceClaims claims;

    /** The profile (FULL or INFRA, with a cloud type) and add-ons (ADDON) of the tenant; null when unusable. */
    public Uni<AppliedProfiles> profiles(String tenant, String profileId, List<String> addonIds, Validator v) {
        List<String> ids = new ArrayList<>();
        ids.add(profileId);
        ids.addAll(addonIds);
        return KnownProfile.<KnownProfile>list("tenant = ?1 and profileId in ?2", tenant, ids).map(rows -> {
            Map<String, KnownProfile> byId = rows.stream().collect(Collectors.toMap(r -> r.profileId, Function.identity()));
            KnownProfile main = byId.get(profileId);
            if (main == null) {
                v.require(false, "profileId", "profile '" + profileId + "' does not exist in your tenant");
            } else if (main.type == ProfileType.ADDON) {
                v.require(false, "profileId", "profile '" + main.profile.name() + "' is an ADDON profile; a cluster is built"
                        + " from a FULL or INFRA profile (add-ons go to addonProfileIds)");
                main = null;
            } else if (main.cloudType == null) {
                v.require(false, "profileId", "profile '" + main.profile.name() + "' is not an edge profile: it has no cloud type"
                        + " (containerized or virtualized)");
                main = null;
            }
            List<ProfileCopy> addons = new ArrayList<>();
            for (int i = 0; i < addonIds.size(); i++) {
                KnownProfile addon = byId.get(addonIds.get(i));
                String field = "addonProfileIds[" + i + "]";
                if (addon == null) {
                    v.require(false, field, "profile '" + addonIds.get(i) + "' does not exist in your tenant");
                } else if (addon.type != ProfileType.ADDON) {
                    v.require(false, field, "profile '" + addon.profile.name() + "' is a " + addon.type + " profile, not an ADDON one");
                } else {
                    addons.add(addon.profile);
                }
            }
            return main == null ? null : new AppliedProfiles(main.profile, addons);
        });
    }

    /**
     * What the profile's cloud type asks of the cloud config and pools, the pack overrides and the virtual
     * IP against the cluster's CIDRs, and a dry run of every node's spec (so a profile that cannot make a
     * node fails here, not on the appliance).
     */
    public void definition(Cluster draft, NodeSpecRenderer renderer, Validator v) {
        StackValues stack;
        try {
            stack = StackValues.of(draft.profiles, draft.packValues);
        } catch (RenderException e) {
            v.require(false, e.field(), e.getMessage());
            return;
        }
        draft.packValues.keySet().forEach(pack -> v.require(stack.packNames().contains(pack), "packValues." + pack,
                "no layer of the cluster's profiles is pack '" + pack + "' (" + String.join(", ", stack.packNames()) + ")"));
        boolean virtualized = draft.cloudType == CloudType.VIRTUALIZED;
        cloudConfig(draft.cloudConfig, virtualized, stack, v);
        for (int i = 0; i < draft.pools().size(); i++) {
            pool(draft.pools().get(i), "pools[" + i + "]", virtualized, v);
        }
        if (v.hasErrors()) {
            return; // rendering would only repeat these
        }
        for (PoolSpec pool : draft.pools()) {
            for (Placement p : pool.appliances()) {
                try {
                    renderer.render(draft, stack, pool, p.uid(), "node-id");
                } catch (RenderException e) {
                    v.require(false, e.field(), e.getMessage());
                    return; // the same values fail for every node
                }
            }
        }
    }

    private static void cloudConfig(CloudConfig cloud, boolean virtualized, StackValues stack, Validator v) {
        if (!virtualized) {
            v.require(cloud.virtualIp() == null, "cloudConfig.virtualIp", "only virtualized clusters have a virtual IP");
            v.require(cloud.ntpServers().isEmpty(), "cloudConfig.ntpServers", "only virtualized clusters take NTP servers");
            return;
        }
        if (cloud.virtualIp() == null) {
            v.require(false, "cloudConfig.virtualIp", "is required for a virtualized cluster: the control plane's virtual IP");
            return;
        }
        byte[] vip = Net.ip(cloud.virtualIp());
        checkOutside(vip, cloud.virtualIp(), stack.podCidr(), "pod", stack.field(io.edgefleet.events.payload.PackLayer.KUBERNETES,
                StackValues.POD_CIDR), v);
        checkOutside(vip, cloud.virtualIp(), stack.serviceCidr(), "service", stack.field(io.edgefleet.events.payload.PackLayer.KUBERNETES,
                StackValues.SERVICE_CIDR), v);
    }

    private static void checkOutside(byte[] vip, String vipText, String cidrText, String what, String cidrField, Validator v) {
        if (cidrText == null) {
            v.require(false, cidrField, "the KUBERNETES layer sets no " + what + " CIDR");
            return;
        }
        try {
            Net.Cidr cidr = Net.Cidr.parse(cidrText);
            v.require(!cidr.contains(vip), "cloudConfig.virtualIp", vipText + " is inside the " + what + " CIDR " + cidrText
                    + " of the cluster; the virtual IP must be an address of the appliances' network");
        } catch (IllegalArgumentException e) {
            v.require(false, cidrField, e.getMessage());
        }
    }

    private static void pool(PoolSpec p, String at, boolean virtualized, Validator v) {
        String pool = "pool '" + p.name() + "': ";
        if (!virtualized) {
            v.require(p.rootDiskGb() == 0, at + ".rootDiskGb", pool + "containerized nodes have no root disk of their own");
            v.require(p.dataDiskGb() == 0, at + ".dataDiskGb", pool + "containerized nodes have no data disk");
            for (int j = 0; j < p.appliances().size(); j++) {
                Placement a = p.appliances().get(j);
                boolean none = a.networkType() == null && a.networkName() == null && a.imagePool() == null
                        && a.targetPool() == null && a.dataPool() == null;
                v.require(none, at + ".appliances[" + j + "]", pool + "appliance '" + a.uid()
                        + "': network and storage pools are for virtualized clusters only");
            }
            return;
        }
        v.require(p.cpu() >= 1, at + ".cpu", pool + "virtualized nodes need at least 1 vCPU");
        v.require(p.memoryGb() >= 1, at + ".memoryGb", pool + "virtualized nodes need at least 1 GB of memory");
        v.require(p.rootDiskGb() >= 1, at + ".rootDiskGb", pool + "virtualized nodes need a root disk of at least 1 GB");
        for (int j = 0; j < p.appliances().size(); j++) {
            Placement a = p.appliances().get(j);
            String aat = at + ".appliances[" + j + "]";
            String app = pool + "appliance '" + a.uid() + "': ";
            v.require(a.networkType() != null, aat + ".networkType", app + "is required ('network' or 'bridge')");
            v.require(a.networkName() != null, aat + ".networkName", app + "is required: the network the nodes attach to");
            v.require(a.imagePool() != null, aat + ".imagePool", app + "is required: the storage pool of the base image");
            v.require(a.targetPool() != null, aat + ".targetPool", app + "is required: the storage pool of the root disks");
            v.require(a.dataPool() != null, aat + ".dataPool", app + "is required: the storage pool of the data disks");
        }
    }

    /**
     * The appliances of {@code checked} pools: they exist in the tenant, are READY, serve no other cluster,
     * fit the cloud type, report the named networks and storage pools, and have room for the nodes (counted
     * over every pool of the cluster).
     */
    public Uni<Void> appliances(String tenant, String clusterId, CloudType cloudType, List<PoolSpec> pools, Set<String> checked,
                                Validator v) {
        List<String> uids = pools.stream().filter(p -> checked.contains(p.name()))
                .flatMap(p -> p.appliances().stream()).map(Placement::uid).distinct().toList();
        List<String> all = pools.stream().flatMap(p -> p.appliances().stream()).map(Placement::uid).distinct().toList();
        return KnownAppliance.<KnownAppliance>list("tenant = ?1 and uid in ?2", tenant, all)
                .chain(rows -> claims.holders(tenant, uids).map(holders -> {
                    Map<String, KnownAppliance> byUid = rows.stream().collect(Collectors.toMap(r -> r.uid, Function.identity()));
                    for (int i = 0; i < pools.size(); i++) {
                        PoolSpec pool = pools.get(i);
                        if (!checked.contains(pool.name())) {
                            continue;
                        }
                        for (int j = 0; j < pool.appliances().size(); j++) {
                            Placement p = pool.appliances().get(j);
                            appliance(byUid.get(p.uid()), holders.get(p.uid()), clusterId, cloudType, pool, p,
                                    "pools[" + i + "].appliances[" + j + "]", v);
                        }
                    }
                    if (!v.hasErrors()) {
                        capacity(cloudType, pools, checked, byUid, v);
                    }
                    return null;
                }));
    }

    private static void appliance(KnownAppliance a, String holder, String clusterId, CloudType cloudType, PoolSpec pool,
                                  Placement p, String at, Validator v) {
        String app = "pool '" + pool.name() + "', appliance '" + p.uid() + "': ";
        if (a == null) {
            v.require(false, at + ".uid", app + "no such appliance in your tenant");
            return;
        }
        if (a.status != ApplianceStatus.READY) {
            v.require(false, at + ".uid", app + "is " + a.status + "; only READY appliances (paired, reporting) take nodes");
            return;
        }
        if (holder != null && !holder.equals(clusterId)) {
            v.require(false, at + ".uid", app + "is used by cluster '" + holder + "'");
            return;
        }
        boolean virtualized = cloudType == CloudType.VIRTUALIZED;
        Set<ApplianceKind> kinds = virtualized ? Set.of(ApplianceKind.BARE_METAL_LIBVIRT) : Set.of(ApplianceKind.VM, ApplianceKind.BARE_METAL);
        if (a.kind == null || !kinds.contains(a.kind)) {
            v.require(false, at + ".uid", app + "is a " + a.kind + " appliance; " + cloudType.value() + " clusters need "
                    + (virtualized ? "BARE_METAL_LIBVIRT (bare metal with libvirt)" : "VM or BARE_METAL"));
            return;
        }
        if (!virtualized) {
            return;
        }
        Inventory.Libvirt libvirt = a.inventory == null ? null : a.inventory.libvirt();
        if (libvirt == null) {
            v.require(false, at + ".uid", app + "reports no libvirt networks or storage pools");
            return;
        }
        if ("network".equals(p.networkType())) {
            Inventory.Network network = libvirt.networks().stream().filter(n -> n.name().equals(p.networkName())).findFirst().orElse(null);
            v.require(network != null, at + ".networkName", app + "network '" + p.networkName() + "' is not among its libvirt networks "
                    + libvirt.networks().stream().map(Inventory.Network::name).toList());
            v.require(network == null || network.active(), at + ".networkName", app + "network '" + p.networkName() + "' is not active");
        }
        Set<String> storage = libvirt.storagePools().stream().map(Inventory.StoragePool::name).collect(Collectors.toSet());
        for (String[] field : new String[][]{{"imagePool", p.imagePool()}, {"targetPool", p.targetPool()}, {"dataPool", p.dataPool()}}) {
            v.require(storage.contains(field[1]), at + "." + field[0], app + "storage pool '" + field[1]
                    + "' is not among its storage pools " + storage.stream().sorted().toList());
        }
    }

    /** Nodes are spread over a pool's appliances in order: node k goes to appliance k mod n. */
    static int nodesOn(PoolSpec pool, int applianceIndex) {
        int n = pool.appliances().size();
        return pool.size() / n + (applianceIndex < pool.size() % n ? 1 : 0);
    }

    private static void capacity(CloudType cloudType, List<PoolSpec> pools, Set<String> checked, Map<String, KnownAppliance> byUid,
                                 Validator v) {
        boolean virtualized = cloudType == CloudType.VIRTUALIZED;
        Map<String, Long> cpus = new HashMap<>();
        Map<String, Long> memory = new HashMap<>();
        Map<String, Long> storage = new HashMap<>();
        for (int i = 0; i < pools.size(); i++) {
            PoolSpec pool = pools.get(i);
            String at = "pools[" + i + "]";
            for (int j = 0; j < pool.appliances().size(); j++) {
                Placement p = pool.appliances().get(j);
                KnownAppliance a = byUid.get(p.uid());
                int nodes = nodesOn(pool, j);
                if (a == null || a.inventory == null || nodes == 0) {
                    continue;
                }
                boolean report = checked.contains(pool.name());
                String app = "pool '" + pool.name() + "', appliance '" + p.uid() + "': ";
                Inventory inv = a.inventory;
                long cpu = virtualized ? cpus.merge(p.uid(), (long) nodes * pool.cpu(), Long::sum) : pool.cpu();
                check(report, cpu <= inv.cpus(), at + ".cpu", app + (virtualized
                        ? "the cluster's nodes need " + cpu + " vCPUs there, the appliance has " + inv.cpus()
                        : "a container limit of " + cpu + " CPUs is more than the appliance's " + inv.cpus()), v);
                if (pool.cpuSet() != null) {
                    check(report, Shapes.highestCpu(pool.cpuSet()) < inv.cpus(), at + ".cpuSet", app + "CPU set " + pool.cpuSet()
                            + " names CPUs the appliance does not have (it has " + inv.cpus() + ")", v);
                }
                long mem = memory.merge(p.uid(), nodes * pool.memoryGb() * GIB, Long::sum);
                check(report, mem <= inv.memoryBytes(), at + ".memoryGb", app + "the cluster's nodes need " + mem / GIB
                        + " GB of memory there, the appliance has " + inv.memoryBytes() / GIB + " GB", v);
                if (virtualized && inv.libvirt() != null) {
                    disk(report, storage, inv, p.uid(), p.targetPool(), nodes * pool.rootDiskGb() * GIB, at + ".rootDiskGb", app, v);
                    disk(report, storage, inv, p.uid(), p.dataPool(), nodes * pool.dataDiskGb() * GIB, at + ".dataDiskGb", app, v);
                }
            }
        }
    }

    private static void disk(boolean report, Map<String, Long> used, Inventory inv, String uid, String poolName, long bytes,
                             String field, String app, Validator v) {
        if (bytes == 0) {
            return;
        }
        Inventory.StoragePool sp = inv.libvirt().storagePools().stream().filter(s -> Objects.equals(s.name(), poolName))
                .findFirst().orElse(null);
        if (sp == null) {
            return;
        }
        long total = used.merge(uid + "/" + poolName, bytes, Long::sum);
        check(report, total <= sp.availableBytes(), field, app + "the cluster's disks need " + total / GIB
                + " GB in storage pool '" + poolName + "', it has " + sp.availableBytes() / GIB + " GB available", v);
    }

    private static void check(boolean report, boolean ok, String field, String message, Validator v) {
        if (report) {
            v.require(ok, field, message);
        }
    }
}
