package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import org.w3c.dom.Document;

import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Node specs and XML probes for the libvirt driver's tests. */
final class TestSpecs {

    private TestSpecs() {}

    /**
     * A mutable spec with the test node's defaults: pools images/vms/data, network mgmt. Disks are small
     * because the test driver gives every pool 100 GiB, whatever the node file says.
     */
    static final class Spec {
        String cluster;
        String pool = "workers";
        String node;
        NodeRole role = NodeRole.WORKER;
        String hostname;
        int cpus = 2;
        long memoryMb = 2048;
        int rootDiskGb = 12;
        String cpuSet;
        String image = "debian-12-base.qcow2";
        String networkType = "network";
        String networkName = "mgmt";
        String imagePool = "images";
        String targetPool = "vms";
        String dataPool = "data";
        int dataDiskGb = 10;
        List<String> keys =
                new ArrayList<>(List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVkZ2VmbGVldA ops@edgefleet"));
        Map<String, String> env = new LinkedHashMap<>(Map.of("HTTPS_PROXY", "http://proxy.local:3128"));
        List<NodeSpec.NodeFile> files = new ArrayList<>(List.of(new NodeSpec.NodeFile(
                "/etc/edgefleet/join.yaml", "token: abc\nserver: https://10.0.0.1:6443\n", "root:root", "0600")));
        Map<String, String> labels = new LinkedHashMap<>(Map.of("site", "store-42"));

        Spec(String cluster, String node) {
            this.cluster = cluster;
            this.node = node;
        }

        NodeSpec build() {
            return new NodeSpec(
                    cluster,
                    pool,
                    node,
                    role,
                    hostname,
                    new NodeSpec.Resources(cpus, memoryMb, rootDiskGb, cpuSet),
                    image,
                    new NodeSpec.VirtualPlacement(
                            networkType, networkName, imagePool, targetPool, dataPool, dataDiskGb),
                    keys,
                    env,
                    files,
                    labels);
        }
    }

    static Spec spec(String cluster, String node) {
        return new Spec(cluster, node);
    }

    static String xpath(Document doc, String expression) {
        try {
            return XPathFactory.newInstance().newXPath().evaluate(expression, doc);
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static int count(Document doc, String expression) {
        try {
            return ((Double) XPathFactory.newInstance()
                            .newXPath()
                            .evaluate("count(" + expression + ")", doc, XPathConstants.NUMBER))
                    .intValue();
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
