package io.edgefleet.gateway.nodes;

import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import io.edgefleet.gateway.nodes.docker.NodeHealth;
import io.edgefleet.gateway.nodes.docker.NodeImages;
import io.edgefleet.gateway.nodes.libvirt.LibvirtNodeDriver;
import io.edgefleet.gateway.nodes.libvirt.LibvirtUri;
import io.edgefleet.gateway.nodes.libvirt.PinnedSsh;

import java.nio.file.Path;

/**
 * Chooses the node driver from the appliance kind: bare metal with libvirt (installer {@code -v true})
 * runs virtualized clusters on libvirt, everything else containerized clusters on Docker.
 */
public final class NodeDrivers {

    private NodeDrivers() {}

    /**
     * @param tenant     the appliance's tenant (from its certificate): the nodes are labelled with it
     * @param domainType virtualized nodes' libvirt domain type ({@code kvm}, {@code qemu}), or null: kvm when offered
     * @param knownHosts the libvirt host's SSH host keys pinned at install, or null (see {@link PinnedSsh})
     * @param readyCheck containerized nodes' readiness check ({@link NodeHealth#forSetting}), or null: the node image's
     */
    public static NodeDriver forConfig(
            GatewayConfig config, String tenant, String domainType, Path knownHosts, String readyCheck)
            throws NodeDriverException {
        if (!config.virtual()) {
            return new DockerNodeDriver(
                    config.dockerHost(),
                    tenant,
                    config.offline() ? NodeImages.offline(config.bundleImagesDir()) : NodeImages.online(),
                    NodeHealth.forSetting(readyCheck));
        }
        // libvirt: base volumes come from the image pool on the host in either mode; nothing is ever downloaded
        String uri = config.libvirtUri() != null
                ? config.libvirtUri()
                : LibvirtUri.qemuSsh(
                        config.sshUser(),
                        config.ip(),
                        config.sshKey(),
                        config.virtSock() == null ? null : Path.of(config.virtSock()),
                        knownHosts == null ? null : PinnedSsh.write(config.stateDir(), knownHosts));
        return new LibvirtNodeDriver(uri, tenant, new LibvirtNodeDriver.Options(null, domainType, null));
    }
}
