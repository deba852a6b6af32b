package io.edgefleet.gateway.nodes;

import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;

/** Chooses the node driver from the appliance kind: libvirt for virtualized, Docker for containerized. */
public final class NodeDrivers {

    private NodeDrivers() {
    }

    public static NodeDriver forConfig(GatewayConfig config) {
        if (config.virtual()) {
            throw new UnsupportedOperationException("the libvirt driver is not wired yet");
        }
        return new DockerNodeDriver(config.dockerHost(), config.tenant());
    }
}
