package io.edgefleet.gateway.nodes.docker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.ContainerNetwork;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A container's addresses as its node reports them: every network's, the cluster network's first (the primary). */
class ContainerAddressesTest {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** As the Docker engine's API describes a network of a container. */
    private static ContainerNetwork network(String ipv4, String ipv6) throws Exception {
        return JSON.convertValue(Map.of("IPAddress", ipv4, "GlobalIPv6Address", ipv6), ContainerNetwork.class);
    }

    @Test
    void everyNetworksAddressesTheClusterNetworksFirst() throws Exception {
        Map<String, ContainerNetwork> networks = new LinkedHashMap<>();
        networks.put("a-site", network("10.20.0.5", "fd00:20::5"));
        networks.put("ef-c1", network("172.18.0.3", ""));
        assertEquals(List.of("172.18.0.3", "10.20.0.5", "fd00:20::5"), ContainerStates.addresses(networks, "c1"));
        assertEquals(List.of(), ContainerStates.addresses(null, "c1"));
        assertEquals(
                List.of("10.20.0.5", "fd00:20::5"),
                ContainerStates.addresses(Map.of("a-site", networks.get("a-site")), "c1"));
    }
}
