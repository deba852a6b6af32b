package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.TaskOutput.Finding;
import io.edgefleet.gateway.nodes.NodeAccess;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CONFIGURATION_SECURITY scan: collects modes and owners of the node's sensitive files (the bootstrap,
 * the files of its create spec, /etc/edgefleet, /etc/kubernetes/pki, authorized_keys) and its bootstrap
 * settings, then evaluates {@link ConfigurationRules}.
 */
final class ConfigurationScan {

    private final NodeSpecs specs;

    ConfigurationScan(NodeSpecs specs) {
        this.specs = specs;
    }

    List<Finding> run(NodeAccess node, String clusterId) throws TaskFailedException {
        List<String> paths = new ArrayList<>(List.of(BootstrapSettings.PATH, ConfigurationRules.AUTHORIZED_KEYS));
        specs.of(node.status()).map(NodeSpec::files).ifPresent(files -> files.forEach(f -> paths.add(f.path())));
        Map<String, FileStat> stats =
                NodeCommands.stat(node, paths, List.of(ConfigurationRules.CONFIG_DIR, ConfigurationRules.PKI_DIR));
        BootstrapSettings bootstrap = null;
        String error = null;
        String text = NodeCommands.read(node, BootstrapSettings.PATH, BootstrapSettings.MAX_BYTES);
        if (text == null) {
            error = "missing";
        } else {
            try {
                bootstrap = BootstrapSettings.parse(text);
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
        }
        return ConfigurationRules.evaluate(stats, bootstrap, error, clusterId);
    }
}
