package io.edgefleet.gateway.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings the scans check in a node's bootstrap file ({@code /etc/edgefleet/bootstrap.yaml}, written
 * by cluster-service): {@code cluster.id}, {@code kubernetes.version}, {@code kubernetes.podCIDR},
 * {@code kubernetes.serviceCIDR}, {@code ntp.servers}. Missing values are null (empty list for NTP).
 */
record BootstrapSettings(
        String clusterId, String kubernetesVersion, String podCidr, String serviceCidr, List<String> ntpServers) {

    static final String PATH = "/etc/edgefleet/bootstrap.yaml";
    /** The file is read from the node: bounded, so a huge or hostile file cannot exhaust the gateway. */
    static final int MAX_BYTES = 256 * 1024;

    private static final ObjectMapper YAML;

    static {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_BYTES);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(40);
        YAML = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
    }

    /** @throws IllegalArgumentException with a short reason when the text is not a YAML mapping */
    static BootstrapSettings parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a YAML mapping");
        }
        List<String> ntp = new ArrayList<>();
        JsonNode servers = root.path("ntp").path("servers");
        if (servers.isArray()) {
            servers.forEach(s -> {
                if (s.isValueNode() && !s.asText().isBlank()) {
                    ntp.add(s.asText());
                }
            });
        }
        return new BootstrapSettings(
                text(root.path("cluster").path("id")),
                text(root.path("kubernetes").path("version")),
                text(root.path("kubernetes").path("podCIDR")),
                text(root.path("kubernetes").path("serviceCIDR")),
                List.copyOf(ntp));
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static String firstLine(String message) {
        String m = message == null ? "unreadable" : message;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
