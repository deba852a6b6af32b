package io.edgefleet.cluster.bootstrap;

import io.edgefleet.cluster.repository.CloudConfig;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.ProfileCopy;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns a cluster's definition into the {@link NodeSpec} of one node: the kubeadm-style bootstrap from
 * the OS and KUBERNETES layers (pre/post commands, files, CIDRs, kubeadm settings), the cloud config
 * (virtual IP, NTP, SSH keys), the profile's tags as labels, and the pool's resources and placement.
 * <p>
 * Everything a node gets is in its spec, so the spec's hash (with the node's own id left out) tells
 * whether a running node is outdated after a profile change or re-link.
 */
public final class NodeSpecRenderer {

    public static final String BOOTSTRAP_PATH = "/etc/edgefleet/bootstrap.yaml";
    public static final String CONTAINER_IMAGE = "pack.containerImage";
    public static final String VM_IMAGE = "pack.vmImage";
    /** Stands in for the node id when hashing: the hash is the same for every node of a pool on one appliance. */
    private static final String PLACEHOLDER = "node-id";

    static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]{0,254}", Pattern.CASE_INSENSITIVE);
    static final Pattern VOLUME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** What both drivers accept as a file owner; Docker copies files in with numeric ids only. */
    static final Pattern CONTAINER_OWNER = Pattern.compile("root(:root)?|\\d{1,9}:\\d{1,9}");

    static final Pattern OWNER =
            Pattern.compile("([a-z_][a-z0-9_-]{0,31}|\\d{1,10}):([a-z_][a-z0-9_-]{0,31}|\\d{1,10})|root");
    static final Pattern PERMISSIONS = Pattern.compile("0?[0-7]{3}");

    private final String defaultContainerImage;

    public NodeSpecRenderer(String defaultContainerImage) {
        this.defaultContainerImage = defaultContainerImage;
    }

    /** @throws RenderException when the values cannot make a node, naming the field to fix */
    public NodeSpec render(Cluster cluster, PoolSpec pool, String applianceUid, String nodeId) {
        StackValues stack = StackValues.of(cluster.profiles, cluster.packValues);
        return render(cluster, stack, pool, applianceUid, nodeId);
    }

    public NodeSpec render(Cluster cluster, StackValues stack, PoolSpec pool, String applianceUid, String nodeId) {
        boolean virtualized = cluster.cloudType == CloudType.VIRTUALIZED;
        CloudConfig cloud = cluster.cloudConfig;
        NodeRole role = pool.master() ? NodeRole.MASTER : NodeRole.WORKER;
        List<NodeSpec.NodeFile> files = new ArrayList<>(osFiles(stack, virtualized));
        files.add(new NodeSpec.NodeFile(
                BOOTSTRAP_PATH, bootstrap(cluster, stack, pool, role, nodeId), "root:root", "0600"));
        NodeSpec.Resources resources = new NodeSpec.Resources(
                pool.cpu(), pool.memoryGb() * 1024L, virtualized ? pool.rootDiskGb() : 0, pool.cpuSet());
        NodeSpec.VirtualPlacement placement = null;
        if (virtualized) {
            Placement p = pool.placement(applianceUid);
            placement = new NodeSpec.VirtualPlacement(
                    p.networkType(), p.networkName(), p.imagePool(), p.targetPool(), p.dataPool(), pool.dataDiskGb());
        }
        return new NodeSpec(
                cluster.id,
                pool.name(),
                nodeId,
                role,
                nodeId,
                resources,
                image(stack, virtualized),
                placement,
                cloud.sshKeys() == null ? List.of() : List.copyOf(cloud.sshKeys()),
                Map.of(),
                List.copyOf(files),
                labels(cluster));
    }

    /** Hash of what every node of {@code pool} on {@code applianceUid} gets. */
    public String specHash(Cluster cluster, StackValues stack, PoolSpec pool, String applianceUid) {
        NodeSpec spec = render(cluster, stack, pool, applianceUid, PLACEHOLDER);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(EventJson.write(spec));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String image(StackValues stack, boolean virtualized) {
        if (virtualized) {
            String image = stack.text(PackLayer.OS, VM_IMAGE);
            if (image == null || !VOLUME.matcher(image).matches()) {
                throw new RenderException(
                        stack.field(PackLayer.OS, VM_IMAGE),
                        image == null
                                ? "virtualized clusters need the base image volume of the OS layer (" + VM_IMAGE + ")"
                                : "'" + image + "' is not a volume name (letters, digits, '.', '_', '-')");
            }
            return image;
        }
        String image = stack.text(PackLayer.OS, CONTAINER_IMAGE);
        if (image == null) {
            return defaultContainerImage;
        }
        if (!IMAGE.matcher(image).matches()) {
            throw new RenderException(
                    stack.field(PackLayer.OS, CONTAINER_IMAGE), "'" + image + "' is not a container image reference");
        }
        return image;
    }

    /** The OS layer's {@code kubeadmconfig.files}: a custom CA and the like. */
    private static List<NodeSpec.NodeFile> osFiles(StackValues stack, boolean virtualized) {
        Object files = PackValues.at(stack.values(PackLayer.OS), "kubeadmconfig.files");
        String field = stack.field(PackLayer.OS, "kubeadmconfig.files");
        if (files == null) {
            return List.of();
        }
        if (!(files instanceof List<?> list)) {
            throw new RenderException(field, "must be a list of files");
        }
        List<NodeSpec.NodeFile> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = field + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> file)) {
                throw new RenderException(
                        at, "must be a mapping with targetPath, targetOwner, targetPermissions and content");
            }
            if (!(file.get("targetPath") instanceof String path)
                    || !path.startsWith("/")
                    || path.contains("/../")
                    || path.endsWith("/")
                    || path.equals(BOOTSTRAP_PATH)) {
                throw new RenderException(
                        at + ".targetPath", "must be an absolute file path (other than " + BOOTSTRAP_PATH + ")");
            }
            if (!(file.get("content") instanceof String content)) {
                throw new RenderException(at + ".content", "is required: the file's text");
            }
            String owner = file.get("targetOwner") == null ? "root:root" : String.valueOf(file.get("targetOwner"));
            if (!(virtualized ? OWNER : CONTAINER_OWNER).matcher(owner).matches()) {
                throw new RenderException(
                        at + ".targetOwner",
                        virtualized
                                ? "must be user:group, e.g. root:root"
                                : "'" + owner + "': containerized nodes take root:root or a numeric uid:gid");
            }
            String mode =
                    file.get("targetPermissions") == null ? "0644" : String.valueOf(file.get("targetPermissions"));
            if (!PERMISSIONS.matcher(mode).matches()) {
                throw new RenderException(at + ".targetPermissions", "must be an octal mode like \"0644\"");
            }
            result.add(new NodeSpec.NodeFile(path, content, owner, mode.length() == 3 ? "0" + mode : mode));
        }
        return result;
    }

    /** The kubeadm-style document the node's bootstrap reads (cloud-init / kubeadm config in a real image). */
    private static String bootstrap(Cluster cluster, StackValues stack, PoolSpec pool, NodeRole role, String nodeId) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "edgefleet.io/v1");
        doc.put("kind", "NodeBootstrap");
        Map<String, Object> clusterPart = new LinkedHashMap<>();
        clusterPart.put("id", cluster.id);
        clusterPart.put("name", cluster.name);
        clusterPart.put("cloudType", cluster.cloudType.value());
        if (cluster.cloudConfig.virtualIp() != null) {
            clusterPart.put("controlPlaneEndpoint", cluster.cloudConfig.virtualIp() + ":6443");
        }
        doc.put("cluster", clusterPart);
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", nodeId);
        node.put("pool", pool.name());
        node.put("role", role.name());
        // a master without worker capability keeps the control-plane taint: no workloads on it
        node.put("schedulable", role == NodeRole.WORKER || pool.allowWorkerCapability());
        doc.put("node", node);
        Map<String, Object> kubernetes = new LinkedHashMap<>();
        ProfileLayer k8s = stack.layer(PackLayer.KUBERNETES);
        kubernetes.put("version", k8s == null ? null : k8s.resolvedVersion());
        kubernetes.put("podCIDR", stack.podCidr());
        kubernetes.put("serviceCIDR", stack.serviceCidr());
        Object domain = PackValues.at(stack.values(PackLayer.KUBERNETES), "pack.serviceDomain");
        kubernetes.put("serviceDomain", domain == null ? "cluster.local" : domain);
        Object kubeadm = stack.values(PackLayer.KUBERNETES).get("kubeadmconfig");
        kubernetes.put("kubeadm", kubeadm == null ? Map.of() : kubeadm);
        doc.put("kubernetes", kubernetes);
        doc.put("preKubeadmCommands", commands(stack, "kubeadmconfig.preKubeadmCommands"));
        doc.put("postKubeadmCommands", commands(stack, "kubeadmconfig.postKubeadmCommands"));
        doc.put("ntp", Map.of("servers", ntpServers(cluster, stack)));
        List<Map<String, Object>> packs = new ArrayList<>();
        stack.coreLayers().forEach((layer, l) -> {
            Map<String, Object> pack = new LinkedHashMap<>();
            pack.put("layer", layer.name());
            pack.put("name", l.name());
            pack.put("version", l.resolvedVersion());
            packs.add(pack);
        });
        doc.put("packs", packs);
        return PackValues.write(doc);
    }

    private static List<String> commands(StackValues stack, String path) {
        Object commands = PackValues.at(stack.values(PackLayer.OS), path);
        if (commands == null) {
            return List.of();
        }
        if (!(commands instanceof List<?> list) || !list.stream().allMatch(c -> c instanceof String)) {
            throw new RenderException(stack.field(PackLayer.OS, path), "must be a list of shell commands (strings)");
        }
        return list.stream().map(String.class::cast).toList();
    }

    /** The cloud config's servers; else the OS layer's {@code kubeadmconfig.ntp.servers}. */
    private static List<String> ntpServers(Cluster cluster, StackValues stack) {
        List<String> fromCloud = cluster.cloudConfig.ntpServers();
        if (fromCloud != null && !fromCloud.isEmpty()) {
            return fromCloud;
        }
        Object servers = PackValues.at(stack.values(PackLayer.OS), "kubeadmconfig.ntp.servers");
        return servers instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of();
    }

    /** The profile's tags (add-on profiles' tags below the main profile's). */
    private static Map<String, String> labels(Cluster cluster) {
        Map<String, String> labels = new TreeMap<>();
        for (ProfileCopy addon :
                cluster.profiles.addons() == null ? List.<ProfileCopy>of() : cluster.profiles.addons()) {
            labels.putAll(addon.tags());
        }
        labels.putAll(cluster.profiles.profile().tags());
        return labels;
    }
}
