package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.repository.CloudConfig;
import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.RollingStrategy;
import io.edgefleet.cluster.service.ClusterInputRules;
import io.edgefleet.cluster.service.HostNameRules;
import io.edgefleet.cluster.service.NewCluster;
import io.edgefleet.cluster.service.SshKeys;
import io.edgefleet.events.net.IpLiterals;
import io.edgefleet.kit.rest.TagRules;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Body of {@code POST /v1/clusters}. The shape is checked here; what depends on the profile and the
 * appliances (cloud type rules, inventory, capacity) is checked by the pre-flight validation.
 *
 * @param profileId       the FULL or INFRA profile (version id)
 * @param addonProfileIds ADDON profiles layered on top
 * @param packValues      per-pack value overrides: pack name → YAML merged over the pack's values
 * @param policyIds       policies of policy-service to attach the cluster to (OS patching, scans, backups)
 */
public record CreateClusterRequest(
        @Schema(
                required = true,
                description = "lowercase letters, digits and '-' (a DNS label), unique in the tenant",
                maxLength = 63)
        String name,

        @Schema(maxLength = 1000) String description,
        Map<String, String> tags,

        @Schema(required = true, description = "the FULL or INFRA profile version the cluster is built from")
        String profileId,

        List<String> addonProfileIds,
        Map<String, String> packValues,
        CloudConfigRequest cloudConfig,

        @Schema(required = true, description = "exactly one master pool, and any worker pools")
        List<PoolRequest> pools,

        List<String> policyIds) {

    static final int MAX_POOLS = 20;
    static final int MAX_APPLIANCES = 50;
    static final int MAX_SSH_KEYS = 20;
    static final int MAX_NTP = 10;
    static final int MAX_POLICIES = 20;

    /** @param virtualIp virtualized clusters only (required there) */
    public record CloudConfigRequest(String virtualIp, List<String> sshKeys, List<String> ntpServers) {}

    /**
     * @param master                exactly one pool is the master pool (size 1, 3 or 5)
     * @param allowWorkerCapability master pool only: workloads may run on the masters
     * @param cpu                   vCPUs (virtualized) or container CPU limit (containerized, optional)
     * @param memoryGb              memory (virtualized) or container memory limit (containerized, optional)
     * @param rootDiskGb            virtualized only
     * @param dataDiskGb            virtualized only, optional
     */
    public record PoolRequest(
            @Schema(required = true, maxLength = 63) String name,

            @Schema(description = "the master pool (exactly one); default false")
            Boolean master,

            @Schema(required = true, minimum = "0", maximum = "100")
            Integer size,

            Boolean allowWorkerCapability,
            RollingStrategy rollingStrategy,
            Integer cpu,
            Integer memoryGb,
            Integer rootDiskGb,
            Integer dataDiskGb,
            String cpuSet,
            List<PlacementRequest> appliances) {}

    /** One appliance of a pool; the libvirt fields are for virtualized clusters. */
    public record PlacementRequest(
            @Schema(required = true) String uid,

            @Schema(
                    enumeration = {"network", "bridge"},
                    description = "virtualized only")
            String networkType,

            String networkName,
            String imagePool,
            String targetPool,
            String dataPool) {}

    NewCluster validated() {
        Validator v = new Validator();
        v.text(
                name,
                "name",
                1,
                63,
                ClusterInputRules.NAME,
                "must be lowercase letters, digits and '-', starting and ending with a letter or digit");
        v.require(
                description == null || description.length() <= 1000, "description", "must be at most 1000 characters");
        v.require(
                description == null
                        || description.chars().allMatch(c -> c == '\n' || c == '\t' || !Character.isISOControl(c)),
                "description",
                "must not contain control characters");
        TagRules.check(tags, "tags", v);
        ClusterInputRules.profileId(profileId, "profileId", v);
        ClusterInputRules.addonProfileIds(addonProfileIds, profileId, "addonProfileIds", v);
        ClusterInputRules.packValues(packValues, "packValues", v);
        checkCloudConfig(v);
        checkPools(v);
        checkPolicies(v);
        v.throwIfInvalid();
        CloudConfigRequest cloud = cloudConfig == null ? new CloudConfigRequest(null, null, null) : cloudConfig;
        return new NewCluster(
                name,
                description,
                new TreeMap<>(tags == null ? Map.of() : tags),
                profileId,
                addonProfileIds == null ? List.of() : List.copyOf(addonProfileIds),
                new TreeMap<>(packValues == null ? Map.of() : packValues),
                new CloudConfig(
                        blankToNull(cloud.virtualIp()),
                        cloud.sshKeys() == null
                                ? List.of()
                                : cloud.sshKeys().stream().map(String::trim).toList(),
                        cloud.ntpServers() == null ? List.of() : List.copyOf(cloud.ntpServers())),
                pools.stream().map(CreateClusterRequest::toSpec).toList(),
                policyIds == null ? List.of() : List.copyOf(policyIds));
    }

    /** Policy ids are UUIDs; whether they exist in the tenant is checked by the service. */
    private void checkPolicies(Validator v) {
        if (policyIds == null) {
            return;
        }
        v.require(policyIds.size() <= MAX_POLICIES, "policyIds", "at most " + MAX_POLICIES + " policies");
        for (int i = 0; i < policyIds.size() && i < MAX_POLICIES; i++) {
            String id = policyIds.get(i);
            boolean uuid;
            try {
                uuid = id != null && java.util.UUID.fromString(id).toString().equals(id.toLowerCase());
            } catch (IllegalArgumentException e) {
                uuid = false;
            }
            v.require(uuid, "policyIds[" + i + "]", "'" + id + "' is not a policy id (UUID)");
        }
        v.require(new HashSet<>(policyIds).size() == policyIds.size(), "policyIds", "names a policy twice");
    }

    private void checkCloudConfig(Validator v) {
        if (cloudConfig == null) {
            return;
        }
        if (cloudConfig.virtualIp() != null && !cloudConfig.virtualIp().isBlank()) {
            v.require(
                    IpLiterals.parse(cloudConfig.virtualIp()) != null,
                    "cloudConfig.virtualIp",
                    "'" + cloudConfig.virtualIp() + "' is not an IP address");
        }
        List<String> keys = cloudConfig.sshKeys() == null ? List.of() : cloudConfig.sshKeys();
        v.require(keys.size() <= MAX_SSH_KEYS, "cloudConfig.sshKeys", "at most " + MAX_SSH_KEYS + " keys");
        for (int i = 0; i < keys.size(); i++) {
            String problem = SshKeys.problem(keys.get(i));
            v.require(problem == null, "cloudConfig.sshKeys[" + i + "]", problem);
        }
        List<String> ntp = cloudConfig.ntpServers() == null ? List.of() : cloudConfig.ntpServers();
        v.require(ntp.size() <= MAX_NTP, "cloudConfig.ntpServers", "at most " + MAX_NTP + " servers");
        for (int i = 0; i < ntp.size(); i++) {
            v.require(
                    HostNameRules.isHostOrIp(ntp.get(i)),
                    "cloudConfig.ntpServers[" + i + "]",
                    "'" + ntp.get(i) + "' is not a host name or IP address");
        }
    }

    private void checkPools(Validator v) {
        if (pools == null || pools.isEmpty()) {
            v.require(false, "pools", "is required: a master pool and any worker pools");
            return;
        }
        v.require(pools.size() <= MAX_POOLS, "pools", "at most " + MAX_POOLS + " pools");
        long masters = pools.stream()
                .filter(p -> p != null && Boolean.TRUE.equals(p.master()))
                .count();
        v.require(
                masters == 1, "pools", "exactly one pool must be the master pool (\"master\": true); found " + masters);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < pools.size(); i++) {
            PoolRequest p = pools.get(i);
            String at = "pools[" + i + "]";
            if (p == null) {
                v.require(false, at, "is empty");
                continue;
            }
            if (v.text(
                    p.name(),
                    at + ".name",
                    1,
                    63,
                    ClusterInputRules.POOL,
                    "must be lowercase letters, digits and '-', starting and ending with a letter or digit")) {
                v.require(names.add(p.name()), at + ".name", "pool '" + p.name() + "' is defined twice");
            }
            checkPool(p, at, v);
        }
    }

    static void checkPool(PoolRequest p, String at, Validator v) {
        String pool = "pool '" + p.name() + "': ";
        boolean master = Boolean.TRUE.equals(p.master());
        if (p.size() == null) {
            v.require(false, at + ".size", "is required");
        } else if (master) {
            v.require(
                    ClusterInputRules.MASTER_SIZES.contains(p.size()),
                    at + ".size",
                    pool + "a master pool has 1, 3 or 5 nodes");
        } else {
            v.require(
                    p.size() >= 0 && p.size() <= ClusterInputRules.MAX_POOL_SIZE,
                    at + ".size",
                    pool + "a worker pool has 0 to " + ClusterInputRules.MAX_POOL_SIZE + " nodes");
        }
        v.require(
                master || !Boolean.TRUE.equals(p.allowWorkerCapability()),
                at + ".allowWorkerCapability",
                pool + "only the master pool can allow worker capability");
        range(p.cpu(), 0, 512, at + ".cpu", pool, v);
        range(p.memoryGb(), 0, 4096, at + ".memoryGb", pool, v);
        range(p.rootDiskGb(), 0, 65536, at + ".rootDiskGb", pool, v);
        range(p.dataDiskGb(), 0, 65536, at + ".dataDiskGb", pool, v);
        if (p.cpuSet() != null) {
            v.require(
                    ClusterInputRules.CPU_SET.matcher(p.cpuSet()).matches()
                            && ClusterInputRules.cpuSetRangesValid(p.cpuSet()),
                    at + ".cpuSet",
                    pool + "'" + p.cpuSet() + "' is not a CPU set like 0-3,6");
        }
        List<PlacementRequest> appliances = p.appliances();
        if (appliances == null || appliances.isEmpty()) {
            v.require(false, at + ".appliances", pool + "lists no appliance to place its nodes on");
            return;
        }
        v.require(
                appliances.size() <= MAX_APPLIANCES,
                at + ".appliances",
                pool + "at most " + MAX_APPLIANCES + " appliances");
        Set<String> uids = new HashSet<>();
        for (int j = 0; j < appliances.size(); j++) {
            PlacementRequest a = appliances.get(j);
            String aat = at + ".appliances[" + j + "]";
            if (a == null) {
                v.require(false, aat, pool + "empty appliance entry");
                continue;
            }
            if (v.text(a.uid(), aat + ".uid", 1, 64, ClusterInputRules.UID, pool + "must be an appliance uid")) {
                v.require(uids.add(a.uid()), aat + ".uid", pool + "appliance '" + a.uid() + "' is listed twice");
            }
            String app = pool + "appliance '" + a.uid() + "': ";
            v.require(
                    a.networkType() == null
                            || a.networkType().equals("network")
                            || a.networkType().equals("bridge"),
                    aat + ".networkType",
                    app + "must be 'network' (a libvirt network) or 'bridge' (a host bridge)");
            libvirtName(a.networkName(), aat + ".networkName", app, v);
            libvirtName(a.imagePool(), aat + ".imagePool", app, v);
            libvirtName(a.targetPool(), aat + ".targetPool", app, v);
            libvirtName(a.dataPool(), aat + ".dataPool", app, v);
        }
    }

    private static void range(Integer value, int min, int max, String field, String pool, Validator v) {
        v.require(value == null || value >= min && value <= max, field, pool + "must be " + min + " to " + max);
    }

    private static void libvirtName(String name, String field, String prefix, Validator v) {
        v.require(
                name == null || ClusterInputRules.LIBVIRT_NAME.matcher(name).matches(),
                field,
                prefix + "'" + name + "' is not a libvirt name (letters, digits, '.', '_', '-')");
    }

    static PoolSpec toSpec(PoolRequest p) {
        return new PoolSpec(
                p.name(),
                Boolean.TRUE.equals(p.master()),
                p.size(),
                Boolean.TRUE.equals(p.allowWorkerCapability()),
                p.rollingStrategy() == null ? RollingStrategy.EXPAND_FIRST : p.rollingStrategy(),
                zero(p.cpu()),
                zero(p.memoryGb()),
                zero(p.rootDiskGb()),
                zero(p.dataDiskGb()),
                p.cpuSet(),
                p.appliances().stream()
                        .map(a -> new Placement(
                                a.uid(), a.networkType(), a.networkName(), a.imagePool(), a.targetPool(), a.dataPool()))
                        .toList());
    }

    private static int zero(Integer value) {
        return value == null ? 0 : value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
