package io.edgefleet.gateway.nodes;

import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.ProxySettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What every node of this appliance gets from the installer's settings: the proxy environment (both
 * spellings, as tools disagree) and the custom CA as a file the node's OS trusts. Values the command
 * sets itself win.
 */
public final class ApplianceNodeDefaults implements UnaryOperator<NodeSpec> {

    public static final String CA_PATH = "/usr/local/share/ca-certificates/edgefleet-custom-ca.crt";

    private final ProxySettings proxy;
    private final String caPem;
    private final List<String> clusterRanges;

    /** @param clusterRanges pod and service CIDRs: never proxied */
    public ApplianceNodeDefaults(ProxySettings proxy, String caPem, List<String> clusterRanges) {
        this.proxy = proxy == null ? ProxySettings.NONE : proxy;
        this.caPem = caPem;
        this.clusterRanges = clusterRanges;
    }

    @Override
    public NodeSpec apply(NodeSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        if (proxy.httpProxy() != null) {
            env.put("HTTP_PROXY", proxy.httpProxy());
            env.put("http_proxy", proxy.httpProxy());
        }
        if (proxy.httpsProxy() != null) {
            env.put("HTTPS_PROXY", proxy.httpsProxy());
            env.put("https_proxy", proxy.httpsProxy());
        }
        if (proxy.httpProxy() != null || proxy.httpsProxy() != null) {
            Set<String> noProxy = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
            noProxy.addAll(proxy.noProxy());
            noProxy.addAll(clusterRanges);
            env.put("NO_PROXY", String.join(",", noProxy));
            env.put("no_proxy", String.join(",", noProxy));
        }
        if (spec.env() != null) {
            env.putAll(spec.env());
        }
        List<NodeSpec.NodeFile> files = new ArrayList<>(spec.files() == null ? List.of() : spec.files());
        if (caPem != null && files.stream().noneMatch(f -> CA_PATH.equals(f.path()))) {
            files.add(new NodeSpec.NodeFile(CA_PATH, caPem, "root:root", "0644"));
        }
        return new NodeSpec(
                spec.clusterId(),
                spec.poolName(),
                spec.nodeId(),
                spec.role(),
                spec.hostname(),
                spec.resources(),
                spec.image(),
                spec.placement(),
                spec.sshAuthorizedKeys() == null ? List.of() : spec.sshAuthorizedKeys(),
                env,
                files,
                spec.labels() == null ? Map.of() : spec.labels());
    }
}
