package io.edgefleet.cluster.service;

import io.edgefleet.cluster.bootstrap.NodeSpecRenderer;
import io.edgefleet.cluster.bootstrap.RenderException;
import io.edgefleet.cluster.bootstrap.StackValues;
import io.edgefleet.cluster.repository.ApplianceClaimRepository;
import io.edgefleet.cluster.repository.AppliedProfiles;
import io.edgefleet.cluster.repository.CloudConfig;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.KnownAppliance;
import io.edgefleet.cluster.repository.KnownProfile;
import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.ProfileCopy;
import io.edgefleet.events.net.Cidr;
import io.edgefleet.events.net.IpLiterals;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileType;
import io.edgefleet.kit.rest.Validator;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pre-flight validation: the checks that need what cluster-service knows from events (its projections of
 * profiles and appliances), run before any node operation. Every error names the pool, the appliance and
 * the field.
 */
@ApplicationScoped
public class Preflight {

    private static final long GIB = Capacity.GIB;

    @Inject
    ApplianceClaimRepository claims;

    /** The profile (FULL or INFRA, with a cloud type) and add-ons (ADDON) of the tenant; null when unusable. */
    public Uni<AppliedProfiles> profiles(String tenant, String profileId, List<String> addonIds, Validator v) {
        List<String> ids = new ArrayList<>();
        ids.add(profileId);
        ids.addAll(addonIds);
        return KnownProfile.<KnownProfile>list("tenant = ?1 and profileId in ?2", tenant, ids)
                .map(rows -> {
                    Map<String, KnownProfile> byId =
                            rows.stream().collect(Collectors.toMap(r -> r.profileId, Function.identity()));
                    KnownProfile main = byId.get(profileId);
                    if (main == null) {
                        v.require(false, "profileId", "profile '" + profileId + "' does not exist in your tenant");
                    } else if (main.type == ProfileType.ADDON) {
                        v.require(
                                false,
                                "profileId",
                                "profile '" + main.profile.name() + "' is an ADDON profile; a cluster is built"
                                        + " from a FULL or INFRA profile (add-ons go to addonProfileIds)");
                        main = null;
                    } else if (main.cloudType == null) {
                        v.require(
                                false,
                                "profileId",
                                "profile '" + main.profile.name() + "' is not an edge profile: it has no cloud type"
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
                            v.require(
                                    false,
                                    field,
                                    "profile '" + addon.profile.name() + "' is a " + addon.type
                                            + " profile, not an ADDON one");
                        } else {
                            addons.add(addon.profile);
                        }
                    }
                    return main == null ? null : new AppliedProfiles(main.profile, addons);
                });
    }

    /**
     * What the profile's cloud type asks of the cloud config and pools, the pack overrides, the cluster's pod and
     * service CIDRs (valid, apart from each other, apart from the appliances' own addresses and the virtual IP), and a
     * dry run of every node's spec (so a profile that cannot make a node fails here, not on the appliance).
     *
     * @param hostIps the appliances' own addresses as their gateways reported them, by uid (those known)
     */
    public void definition(Cluster draft, NodeSpecRenderer renderer, Map<String, String> hostIps, Validator v) {
        StackValues stack;
        try {
            stack = StackValues.of(draft.profiles, draft.packValues);
        } catch (RenderException e) {
            v.require(false, e.field(), e.getMessage());
            return;
        }
        draft.packValues
                .keySet()
                .forEach(pack -> v.require(
                        stack.packNames().contains(pack),
                        "packValues." + pack,
                        "no layer of the cluster's profiles is pack '" + pack + "' ("
                                + String.join(", ", stack.packNames()) + ")"));
        boolean virtualized = draft.cloudType == CloudType.VIRTUALIZED;
        networks(draft.cloudConfig, virtualized, stack, hostIps, v);
        cloudConfig(draft.cloudConfig, virtualized, v);
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

    private static void cloudConfig(CloudConfig cloud, boolean virtualized, Validator v) {
        if (!virtualized) {
            v.require(
                    cloud.virtualIp() == null, "cloudConfig.virtualIp", "only virtualized clusters have a virtual IP");
            v.require(
                    cloud.ntpServers().isEmpty(),
                    "cloudConfig.ntpServers",
                    "only virtualized clusters take NTP servers");
            return;
        }
        v.require(
                cloud.virtualIp() != null,
                "cloudConfig.virtualIp",
                "is required for a virtualized cluster: the control plane's virtual IP");
    }

    /**
     * The cluster's networks, on the effective values (the profile's and the cluster's {@code packValues} together;
     * an error names the override that would fix it, {@code packValues.kubernetes.pack.serviceCIDR}): pod and service
     * CIDR valid and apart, neither holding an appliance's own address (the nodes could no longer reach their host's
     * network) nor the virtual IP.
     */
    static void networks(
            CloudConfig cloud, boolean virtualized, StackValues stack, Map<String, String> hostIps, Validator v) {
        String podField = stack.field(PackLayer.KUBERNETES, StackValues.POD_CIDR);
        String serviceField = stack.field(PackLayer.KUBERNETES, StackValues.SERVICE_CIDR);
        Cidr pods = cidr(stack.podCidr(), "pod", podField, virtualized, v);
        Cidr services = cidr(stack.serviceCidr(), "service", serviceField, virtualized, v);
        if (pods != null && services != null) {
            v.require(
                    !pods.overlaps(services),
                    serviceField,
                    "the service CIDR " + stack.serviceCidr() + " overlaps the pod CIDR " + stack.podCidr() + " ("
                            + podField + "); pods and services need separate ranges");
        }
        hostIps.forEach((uid, ip) -> {
            byte[] address = IpLiterals.parse(ip);
            if (address == null) {
                return;
            }
            if (pods != null) {
                v.require(
                        !pods.contains(address),
                        podField,
                        "the pod CIDR " + stack.podCidr() + " contains " + ip + ", the address of appliance '" + uid
                                + "'; the cluster's ranges must lie outside the appliances' network");
            }
            if (services != null) {
                v.require(
                        !services.contains(address),
                        serviceField,
                        "the service CIDR " + stack.serviceCidr() + " contains " + ip + ", the address of appliance '"
                                + uid + "'; the cluster's ranges must lie outside the appliances' network");
            }
        });
        byte[] vip = virtualized ? IpLiterals.parse(cloud.virtualIp()) : null;
        if (vip != null) {
            if (pods != null) {
                v.require(
                        !pods.contains(vip),
                        "cloudConfig.virtualIp",
                        cloud.virtualIp() + " is inside the pod CIDR " + stack.podCidr()
                                + " of the cluster; the virtual IP must be an address of the appliances' network. If"
                                + " it is one (the usual libvirt networks are 192.168.x.0/24), give the pods another"
                                + " range: set " + podField + " (e.g. 172.16.0.0/16)");
            }
            if (services != null) {
                v.require(
                        !services.contains(vip),
                        "cloudConfig.virtualIp",
                        cloud.virtualIp() + " is inside the service CIDR " + stack.serviceCidr()
                                + " of the cluster; the virtual IP must be an address of the appliances' network");
            }
        }
    }

    private static Cidr cidr(String text, String what, String field, boolean required, Validator v) {
        if (text == null) {
            v.require(!required, field, "the KUBERNETES layer sets no " + what + " CIDR");
            return null;
        }
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            v.require(false, field, e.getMessage());
            return null;
        }
    }

    private static void pool(PoolSpec p, String at, boolean virtualized, Validator v) {
        String pool = "pool '" + p.name() + "': ";
        if (!virtualized) {
            v.require(
                    p.rootDiskGb() == 0,
                    at + ".rootDiskGb",
                    pool + "containerized nodes have no root disk of their own");
            v.require(p.dataDiskGb() == 0, at + ".dataDiskGb", pool + "containerized nodes have no data disk");
            for (int j = 0; j < p.appliances().size(); j++) {
                Placement a = p.appliances().get(j);
                boolean none = a.networkType() == null
                        && a.networkName() == null
                        && a.imagePool() == null
                        && a.targetPool() == null
                        && a.dataPool() == null;
                v.require(
                        none,
                        at + ".appliances[" + j + "]",
                        pool + "appliance '" + a.uid()
                                + "': network and storage pools are for virtualized clusters only");
            }
            return;
        }
        v.require(p.cpu() >= 1, at + ".cpu", pool + "virtualized nodes need at least 1 vCPU");
        v.require(p.memoryGb() >= 1, at + ".memoryGb", pool + "virtualized nodes need at least 1 GB of memory");
        v.require(
                p.rootDiskGb() >= 1, at + ".rootDiskGb", pool + "virtualized nodes need a root disk of at least 1 GB");
        for (int j = 0; j < p.appliances().size(); j++) {
            Placement a = p.appliances().get(j);
            String aat = at + ".appliances[" + j + "]";
            String app = pool + "appliance '" + a.uid() + "': ";
            v.require(a.networkType() != null, aat + ".networkType", app + "is required ('network' or 'bridge')");
            v.require(
                    a.networkName() != null,
                    aat + ".networkName",
                    app + "is required: the network the nodes attach to");
            v.require(
                    a.imagePool() != null, aat + ".imagePool", app + "is required: the storage pool of the base image");
            v.require(
                    a.targetPool() != null,
                    aat + ".targetPool",
                    app + "is required: the storage pool of the root disks");
            v.require(a.dataPool() != null, aat + ".dataPool", app + "is required: the storage pool of the data disks");
        }
    }

    /**
     * What pre-flight knows of the cluster's appliances: cluster-service's projection of each (status, kind, inventory),
     * which cluster holds it, and what the nodes already on it use.
     *
     * @param live this cluster's live nodes per {@code pool/uid}
     */
    public record ApplianceFacts(
            Map<String, KnownAppliance> known,
            Map<String, String> holders,
            Map<String, Capacity.Used> used,
            Map<String, Integer> live) {

        /** The appliances' own addresses (as their gateways reported them), by uid. */
        public Map<String, String> hostIps() {
            Map<String, String> ips = new TreeMap<>();
            known.values().forEach(a -> {
                if (a.inventory != null
                        && a.inventory.ip() != null
                        && !a.inventory.ip().isBlank()) {
                    ips.put(a.uid, a.inventory.ip());
                }
            });
            return ips;
        }
    }

    /** Loads what {@link #appliances} and {@link #kinds} check against. */
    public Uni<ApplianceFacts> facts(String tenant, String clusterId, List<PoolSpec> pools) {
        List<String> all = pools.stream()
                .flatMap(p -> p.appliances().stream())
                .map(Placement::uid)
                .distinct()
                .toList();
        return KnownAppliance.<KnownAppliance>list(
                        "tenant = ?1 and uid in ?2", tenant, all.isEmpty() ? List.of("") : all)
                .chain(rows -> claims.holders(tenant, all)
                        .chain(holders -> nodesOn(tenant, clusterId, all).map(usage -> {
                            Map<String, KnownAppliance> byUid =
                                    rows.stream().collect(Collectors.toMap(r -> r.uid, Function.identity()));
                            return new ApplianceFacts(byUid, holders, usage.used(), usage.live());
                        })));
    }

    private record Usage(Map<String, Capacity.Used> used, Map<String, Integer> live) {}

    /**
     * What the nodes not yet deleted on these appliances use (every cluster of the tenant, this one too, whatever
     * their target: a node on its way out still runs), with this cluster's live nodes per pool and appliance.
     */
    private static Uni<Usage> nodesOn(String tenant, String clusterId, List<String> uids) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "select n.appliance_uid, n.cluster_id, n.pool_name, n.target, count(*),"
                                        + " coalesce(cast(p ->> 'cpu' as integer), 0), coalesce(cast(p ->> 'memoryGb' as integer), 0)"
                                        + " from cluster_node n join cluster c on c.id = n.cluster_id"
                                        + " left join lateral jsonb_array_elements(c.pools -> 'pools') p on p ->> 'name' = n.pool_name"
                                        + " where c.tenant = :tenant and n.appliance_uid in (:uids) and n.state <> 'DELETED'"
                                        + " group by 1, 2, 3, 4, 6, 7",
                                Object[].class)
                        .setParameter("tenant", tenant)
                        .setParameter("uids", uids.isEmpty() ? List.of("") : uids)
                        .getResultList())
                .map(rows -> {
                    Map<String, Capacity.Used> used = new HashMap<>();
                    Map<String, Integer> live = new HashMap<>();
                    for (Object[] r : rows) {
                        String uid = (String) r[0];
                        int count = ((Number) r[4]).intValue();
                        long cpu = ((Number) r[5]).longValue();
                        long memoryGb = ((Number) r[6]).longValue();
                        used.merge(
                                uid,
                                Capacity.Used.NONE.plus(count, count * cpu, count * memoryGb * GIB),
                                (a, b) -> a.plus(b.nodes(), b.cpus(), b.memoryBytes()));
                        if (r[1].equals(clusterId) && "PRESENT".equals(r[3])) {
                            live.merge(r[2] + "/" + uid, count, Integer::sum);
                        }
                    }
                    return new Usage(used, live);
                });
    }

    /**
     * The appliances of {@code checked} pools: they exist in the tenant, are READY, serve no other cluster,
     * fit the cloud type, report the named networks and storage pools, and have room for the nodes the pools add
     * there besides the nodes already there ({@link Capacity}).
     */
    public void appliances(
            CloudType cloudType,
            List<PoolSpec> pools,
            Set<String> checked,
            ApplianceFacts facts,
            String clusterId,
            Validator v) {
        for (int i = 0; i < pools.size(); i++) {
            PoolSpec pool = pools.get(i);
            if (!checked.contains(pool.name())) {
                continue;
            }
            for (int j = 0; j < pool.appliances().size(); j++) {
                Placement p = pool.appliances().get(j);
                appliance(
                        facts.known().get(p.uid()),
                        facts.holders().get(p.uid()),
                        clusterId,
                        cloudType,
                        pool,
                        p,
                        "pools[" + i + "].appliances[" + j + "]",
                        v);
            }
        }
        if (!v.hasErrors()) {
            Map<String, Inventory> inventories = new HashMap<>();
            facts.known().forEach((uid, a) -> {
                if (a.inventory != null) {
                    inventories.put(uid, a.inventory);
                }
            });
            Capacity.check(
                    cloudType == CloudType.VIRTUALIZED, pools, checked, inventories, facts.used(), facts.live(), v);
        }
    }

    /**
     * First of all: an appliance of a kind that cannot run the profile's cloud type (a Docker appliance for a
     * virtualized profile, a libvirt one for a containerized profile). Every other problem of such a pool follows
     * from the wrong choice, so this one leads, naming what the appliance is and what the profile needs.
     */
    public static void kinds(
            String profileName,
            CloudType cloudType,
            List<PoolSpec> pools,
            Set<String> checked,
            ApplianceFacts facts,
            Validator v) {
        for (int i = 0; i < pools.size(); i++) {
            PoolSpec pool = pools.get(i);
            if (!checked.contains(pool.name())) {
                continue;
            }
            for (int j = 0; j < pool.appliances().size(); j++) {
                Placement p = pool.appliances().get(j);
                KnownAppliance a = facts.known().get(p.uid());
                if (a == null || a.kind == null || a.status != ApplianceStatus.READY || fits(a.kind, cloudType)) {
                    continue; // reported with the appliance's other checks
                }
                v.require(
                        false,
                        "pools[" + i + "].appliances[" + j + "].uid",
                        "pool '" + pool.name() + "', appliance '" + p.uid() + "': "
                                + mismatch(a.kind, profileName, cloudType));
            }
        }
    }

    static boolean fits(ApplianceKind kind, CloudType cloudType) {
        return cloudType == CloudType.VIRTUALIZED
                ? kind == ApplianceKind.BARE_METAL_LIBVIRT
                : kind == ApplianceKind.VM || kind == ApplianceKind.BARE_METAL;
    }

    static String mismatch(ApplianceKind kind, String profileName, CloudType cloudType) {
        String is = kind == ApplianceKind.BARE_METAL_LIBVIRT
                ? "is a BARE_METAL_LIBVIRT appliance: it runs virtualized nodes (libvirt domains)"
                : "is a " + kind + " appliance: it runs containerized nodes (Docker containers)";
        String needs = cloudType == CloudType.VIRTUALIZED
                ? "virtualized and needs BARE_METAL_LIBVIRT appliances (bare metal with libvirt)"
                : "containerized and needs VM or BARE_METAL appliances (Docker)";
        return is + "; " + (profileName == null ? "the cluster's profile" : "profile '" + profileName + "'") + " is "
                + needs;
    }

    private static void appliance(
            KnownAppliance a,
            String holder,
            String clusterId,
            CloudType cloudType,
            PoolSpec pool,
            Placement p,
            String at,
            Validator v) {
        String app = "pool '" + pool.name() + "', appliance '" + p.uid() + "': ";
        if (a == null) {
            v.require(false, at + ".uid", app + "no such appliance in your tenant");
            return;
        }
        if (a.status != ApplianceStatus.READY) {
            v.require(
                    false,
                    at + ".uid",
                    app + "is " + a.status + "; only READY appliances (paired, reporting) take nodes");
            return;
        }
        if (holder != null && !holder.equals(clusterId)) {
            v.require(false, at + ".uid", app + "is used by cluster '" + holder + "'");
            return;
        }
        boolean virtualized = cloudType == CloudType.VIRTUALIZED;
        if (a.kind == null) {
            v.require(
                    false, at + ".uid", app + "has not reported what it is (VM, BARE_METAL or BARE_METAL_LIBVIRT) yet");
            return;
        }
        if (!fits(a.kind, cloudType)) {
            return; // reported first, by kinds()
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
            Inventory.Network network = libvirt.networks().stream()
                    .filter(n -> n.name().equals(p.networkName()))
                    .findFirst()
                    .orElse(null);
            v.require(
                    network != null,
                    at + ".networkName",
                    app + "network '" + p.networkName() + "' is not among its libvirt networks "
                            + libvirt.networks().stream()
                                    .map(Inventory.Network::name)
                                    .toList());
            v.require(
                    network == null || network.active(),
                    at + ".networkName",
                    app + "network '" + p.networkName() + "' is not active");
        }
        if ("bridge".equals(p.networkType()) && libvirt.bridges() != null) { // older gateways report no bridges
            v.require(
                    libvirt.bridges().contains(p.networkName()),
                    at + ".networkName",
                    app + "bridge '" + p.networkName() + "' is not among its bridges "
                            + libvirt.bridges().stream().sorted().toList()
                            + " (make the bridge on the appliance first, or use networkType 'network' with a libvirt"
                            + " network)");
        }
        StoragePools.check(libvirt.storagePools(), p, pool.dataDiskGb() > 0, at, app, v);
    }
}
