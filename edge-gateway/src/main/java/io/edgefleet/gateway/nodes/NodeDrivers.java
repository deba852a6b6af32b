package io.edgefleet.gateway.nodes;

import io.edgefleet.gateway.config.GatewayConfig;

/** Chooses the node driver from the appliance kind: libvirt for virtualized, Docker for containerized. */
public final class NodeDrivers {

    private NodeDrivers() {
    }

    public static NodeDriver forConfig(GatewayConfig config) {
        throw new UnsupportedOperationException("node drivers arrive with the docker and libvirt packages");
    }
}
