package io.edgefleet.cluster;

import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.LayerSource;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileRelinked;
import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.events.payload.ProfileType;
import io.edgefleet.events.payload.ProxySettings;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Payloads as appliance-service and profile-service publish them. */
public final class Fixtures {

    public static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBtestCustomCA\n-----END CERTIFICATE-----\n";
    public static final String SSH_KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@edge";
    public static final Map<String, String> PROFILE_TAGS = Map.of("env", "edge", "team", "retail");

    private Fixtures() {}

    static String osValues(String extra) {
        return """
                kubeadmconfig:
                  preKubeadmCommands:
                    - echo "Executing pre kube admin config commands"
                    - update-ca-certificates
                  postKubeadmCommands:
                    - echo "Executing post kube admin config commands"
                  files:
                    - targetPath: /usr/local/share/ca-certificates/custom-ca.crt
                      targetOwner: "root:root"
                      targetPermissions: "0644"
                      content: |
                        -----BEGIN CERTIFICATE-----
                        MIIBtestCustomCA
                        -----END CERTIFICATE-----
                  ntp:
                    enabled: true
                    servers: [ntp.ubuntu.com]
                """ + extra;
    }

    static String kubernetesValues(String podCidr, String serviceCidr) {
        return """
                pack:
                  k8sHardening: true
                  podCIDR: "%s"
                  serviceCIDR: "%s"
                  serviceDomain: cluster.local
                kubeadmconfig:
                  apiServer:
                    extraArgs:
                      secure-port: "6443"
                """.formatted(podCidr, serviceCidr);
    }

    private static ProfileLayer layer(int index, PackLayer type, String name, String version, String values) {
        return layer(index, type, name, version, version, values);
    }

    /** @param version as chosen (a train such as 22.04.x, or pinned); @param release the release it resolves to */
    private static ProfileLayer layer(
            int index, PackLayer type, String name, String version, String release, String values) {
        return new ProfileLayer(
                index,
                LayerSource.PACK,
                type,
                "builtin",
                name,
                version,
                release,
                List.of(),
                null,
                values,
                List.of(),
                null);
    }

    /** A FULL edge profile with the four core layers (resolved, merged values) and one add-on layer. */
    public static ProfileSnapshot profile(String id, CloudType cloudType, String k8sVersion, String osExtra) {
        String os = osValues(
                cloudType == CloudType.VIRTUALIZED ? "pack:\n  vmImage: debian-12-base.qcow2\n" + osExtra : osExtra);
        return new ProfileSnapshot(
                id,
                "edge-" + cloudType.value(),
                "1.0.0",
                "test profile",
                PROFILE_TAGS,
                ProfileType.FULL,
                "edge",
                cloudType,
                List.of(
                        layer(0, PackLayer.OS, "ubuntu", "22.04.x", "22.04.4", os),
                        layer(
                                1,
                                PackLayer.KUBERNETES,
                                "kubernetes",
                                k8sVersion,
                                kubernetesValues("192.168.0.0/16", "10.96.0.0/12")),
                        layer(2, PackLayer.NETWORK, "calico", "3.26.1", "pack:\n  calicoNetwork: vxlan\n"),
                        layer(
                                3,
                                PackLayer.STORAGE,
                                "local-path-provisioner",
                                "0.0.24",
                                "storageClass:\n  default: true\n"),
                        layer(
                                4,
                                PackLayer.ADDON,
                                "prometheus-operator",
                                "45.0.0",
                                "alertmanager:\n  enabled: false\n")),
                Instant.now(),
                Instant.now(),
                1);
    }

    /** The profile with only its description and tags changed (a newer revision): the stack it runs is the same. */
    public static ProfileSnapshot describedAnew(ProfileSnapshot p) {
        return new ProfileSnapshot(
                p.id(),
                p.name(),
                p.version(),
                p.description() + " (described anew)",
                Map.of("env", "edge", "team", "retail", "reviewed", "yes"),
                p.type(),
                p.environment(),
                p.cloudType(),
                p.layers(),
                p.createdAt(),
                Instant.now(),
                p.revision() + 1,
                p.rollout());
    }

    /** The profile with another rollout strategy (a newer revision). */
    public static ProfileSnapshot withRollout(ProfileSnapshot p, ProfileRollout rollout) {
        return new ProfileSnapshot(
                p.id(),
                p.name(),
                p.version(),
                p.description(),
                p.tags(),
                p.type(),
                p.environment(),
                p.cloudType(),
                p.layers(),
                p.createdAt(),
                Instant.now(),
                p.revision() + 1,
                rollout);
    }

    public static ProfileSnapshot addonProfile(String id) {
        return new ProfileSnapshot(
                id,
                "monitoring",
                "1.0.0",
                null,
                Map.of("addon", "monitoring"),
                ProfileType.ADDON,
                "edge",
                null,
                List.of(layer(0, PackLayer.ADDON, "falco", "3.1.0", "driver:\n  kind: ebpf\n")),
                Instant.now(),
                Instant.now(),
                1);
    }

    /** The profile after its KUBERNETES layer moved to a newer release on its train. */
    public static ProfileRelinked relinked(ProfileSnapshot p, String newK8s) {
        return relinked(p, PackLayer.KUBERNETES, "1.27.x", newK8s);
    }

    /** The profile after its OS layer (ubuntu) moved to a newer release on its train. */
    public static ProfileRelinked relinkedOs(ProfileSnapshot p, String newOs) {
        return relinked(p, PackLayer.OS, "22.04.x", newOs);
    }

    private static ProfileRelinked relinked(ProfileSnapshot p, PackLayer layer, String train, String newVersion) {
        ProfileLayer before =
                p.layers().stream().filter(l -> l.layer() == layer).findFirst().orElseThrow();
        List<ProfileLayer> layers = p.layers().stream()
                .map(l -> l.layer() == layer ? l.relinked(newVersion, l.mergedValues()) : l)
                .toList();
        ProfileSnapshot after = new ProfileSnapshot(
                p.id(),
                p.name(),
                p.version(),
                p.description(),
                p.tags(),
                p.type(),
                p.environment(),
                p.cloudType(),
                layers,
                p.createdAt(),
                Instant.now(),
                p.revision() + 1,
                p.rollout());
        return new ProfileRelinked(
                p.id(),
                p.name(),
                p.version(),
                before.index(),
                layer,
                "builtin",
                before.name(),
                train,
                before.resolvedVersion(),
                newVersion,
                after);
    }

    /** What appliance-service publishes once the gateway's report paired the appliance. */
    public static ApplianceSnapshot ready(GatewayReport report, long version) {
        return new ApplianceSnapshot(
                report.uid(),
                ApplianceStatus.READY,
                report.uid(),
                Map.of(),
                report.kind(),
                report.inventory(),
                report.gatewayVersion(),
                report.mode(),
                report.podCidr(),
                report.serviceCidr(),
                report.proxy(),
                Instant.now(),
                null,
                version,
                null,
                null,
                null);
    }

    public static ApplianceSnapshot appliance(
            String uid, ApplianceStatus status, ApplianceKind kind, Inventory inventory) {
        return new ApplianceSnapshot(
                uid,
                status,
                uid,
                Map.of(),
                kind,
                inventory,
                "0.2.0",
                "online",
                null,
                null,
                ProxySettings.NONE,
                Instant.now(),
                null,
                1,
                null,
                null,
                null);
    }

    public static Inventory vmInventory(int cpus, long memoryGb) {
        return new Inventory(
                "host-" + UUID.randomUUID().toString().substring(0, 4),
                "10.0.0.7",
                cpus,
                memoryGb << 30,
                List.of(new Inventory.Disk("vda", 100L << 30)),
                null,
                new Inventory.Docker(true, "20.10.24"));
    }

    /** Why QEMU cannot use the storage pool {@code locked} of {@link #libvirtInventory}, in the gateway's words. */
    public static final String LOCKED_POOL = "storage pool 'locked': QEMU runs as uid 64055 (gid 64055; libvirt-qemu on"
            + " Debian, 'user' in /etc/libvirt/qemu.conf) and cannot enter /root (mode 0700, owner 0:0), so it could not"
            + " open the node's disks in /root/vms. Make it searchable (chmod o+x /root), or use a pool whose directory"
            + " QEMU can reach (e.g. under /var/lib/libvirt/images)";

    public static Inventory libvirtInventory(int cpus, long memoryGb, long poolGb) {
        return new Inventory(
                "kvm-host",
                "10.0.0.8",
                cpus,
                memoryGb << 30,
                List.of(new Inventory.Disk("sda", 500L << 30)),
                new Inventory.Libvirt(
                        List.of(
                                new Inventory.Network("default", true),
                                new Inventory.Network("mgmt", true),
                                new Inventory.Network("off", false)),
                        List.of(
                                new Inventory.StoragePool("images", poolGb << 30, poolGb << 30),
                                new Inventory.StoragePool("vms", poolGb << 30, poolGb << 30),
                                new Inventory.StoragePool("data", poolGb << 30, poolGb << 30),
                                // as a gateway reports a pool whose directory QEMU cannot enter
                                new Inventory.StoragePool("locked", poolGb << 30, poolGb << 30, LOCKED_POOL)),
                        List.of("br0")),
                null);
    }

    /** A create body: master pool and one worker pool on the given appliances. */
    public static String containerizedCluster(
            String name, String profileId, String masterUid, int workers, String workerUid) {
        return """
                {"name":"%s","description":"edge cluster","tags":{"site":"shop-1"},"profileId":"%s",
                 "cloudConfig":{"sshKeys":["%s"]},
                 "pools":[{"name":"masters","master":true,"size":1,"allowWorkerCapability":true,"cpu":1,"memoryGb":1,
                           "rollingStrategy":"EXPAND_FIRST","appliances":[{"uid":"%s"}]},
                          {"name":"workers","size":%d,"cpu":1,"memoryGb":1,"rollingStrategy":"CONTRACT_FIRST",
                           "appliances":[{"uid":"%s"}]}]}
                """.formatted(name, profileId, SSH_KEY, masterUid, workers, workerUid);
    }
}
