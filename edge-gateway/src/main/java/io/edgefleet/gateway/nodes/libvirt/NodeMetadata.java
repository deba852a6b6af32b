package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.NodeRole;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the driver writes into a domain's {@code <metadata>}: the mark that makes a domain "ours"
 * and everything needed to report on it and remove it again (its volumes) without any other state.
 *
 * <pre>{@code
 * <metadata>
 *   <ef:node xmlns:ef="urn:edgefleet:node:1">
 *     <ef:tenant>..</ef:tenant> <ef:cluster>..</ef:cluster> <ef:pool>..</ef:pool> <ef:node>..</ef:node>
 *     <ef:command>..</ef:command> <ef:role>WORKER</ef:role> <ef:hostname>..</ef:hostname>
 *     <ef:volume kind="root" pool="vms" name="ef-c1-n1-root"/> <ef:volume kind="data" pool="data" name="ef-c1-n1-data"/>
 *     <ef:label key="..">..</ef:label>
 *     <ef:bootstrap-sha256>..</ef:bootstrap-sha256>
 *   </ef:node>
 * </metadata>
 * }</pre>
 * The bootstrap document itself (SSH keys, files such as keys and tokens) reaches the guest through fw_cfg only; the
 * metadata, which every libvirt client that may read the domain sees, keeps ids and the document's SHA-256 (what the
 * guest reports back once it applied it). Domains of earlier gateways carry the whole document in
 * {@code <ef:bootstrap>}: its hash is taken from there.
 */
record NodeMetadata(
        String tenant,
        String clusterId,
        String poolName,
        String nodeId,
        String commandId,
        NodeRole role,
        String hostname,
        VolumeRef root,
        VolumeRef data,
        Map<String, String> labels,
        String bootstrapSha256) {

    static final String NS = "urn:edgefleet:node:1";
    static final String PREFIX = "ef";
    static final String ELEMENT = "node";

    /** A volume of the node: pool and volume name. */
    record VolumeRef(String pool, String name) {}

    /** Appends {@code <ef:node>} to {@code parent} (the domain's {@code <metadata>} element). */
    Element appendTo(Element parent) {
        Element node = Xml.addNs(parent, NS, PREFIX + ":" + ELEMENT, null);
        node.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:" + PREFIX, NS);
        field(node, "tenant", tenant);
        field(node, "cluster", clusterId);
        field(node, "pool", poolName);
        field(node, "node", nodeId);
        field(node, "command", commandId);
        field(node, "role", role == null ? null : role.name());
        field(node, "hostname", hostname);
        volume(node, "root", root);
        volume(node, "data", data);
        if (labels != null) {
            labels.forEach((k, v) -> Xml.attr(Xml.addNs(node, NS, PREFIX + ":label", v), "key", k));
        }
        field(node, "bootstrap-sha256", bootstrapSha256);
        return node;
    }

    /** The metadata of a domain, from its XML description; empty when the domain carries none of ours. */
    static Optional<NodeMetadata> fromDomainXml(String domainXml) {
        return fromDomain(Xml.parse(domainXml));
    }

    static Optional<NodeMetadata> fromDomain(Document domain) {
        Element metadata = Xml.child(domain.getDocumentElement(), null, "metadata");
        Element node = metadata == null ? null : Xml.child(metadata, NS, ELEMENT);
        if (node == null) {
            return Optional.empty();
        }
        String tenant = text(node, "tenant");
        String cluster = text(node, "cluster");
        String nodeId = text(node, "node");
        if (tenant == null || cluster == null || nodeId == null) {
            return Optional.empty();
        }
        VolumeRef root = null;
        VolumeRef data = null;
        for (Element v : Xml.children(node, NS, "volume")) {
            VolumeRef ref = new VolumeRef(v.getAttribute("pool"), v.getAttribute("name"));
            if (ref.pool().isEmpty() || ref.name().isEmpty()) {
                continue;
            }
            if ("root".equals(v.getAttribute("kind"))) {
                root = ref;
            } else if ("data".equals(v.getAttribute("kind"))) {
                data = ref;
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Element l : Xml.children(node, NS, "label")) {
            labels.put(l.getAttribute("key"), l.getTextContent());
        }
        NodeRole role = null;
        String roleText = text(node, "role");
        if (roleText != null) {
            try {
                role = NodeRole.valueOf(roleText);
            } catch (IllegalArgumentException unknown) {
                role = null;
            }
        }
        return Optional.of(new NodeMetadata(
                tenant,
                cluster,
                text(node, "pool"),
                nodeId,
                text(node, "command"),
                role,
                text(node, "hostname"),
                root,
                data,
                labels,
                bootstrapSha256(node)));
    }

    private static String bootstrapSha256(Element node) {
        String sha256 = text(node, "bootstrap-sha256");
        if (sha256 != null) {
            return sha256;
        }
        String legacyDocument = text(node, "bootstrap");
        return legacyDocument == null ? null : NodeReadiness.sha256(legacyDocument);
    }

    private static String text(Element node, String name) {
        return Xml.childText(node, NS, name);
    }

    private static void field(Element node, String name, String value) {
        if (value != null) {
            Xml.addNs(node, NS, PREFIX + ":" + name, value);
        }
    }

    private static void volume(Element node, String kind, VolumeRef ref) {
        if (ref != null) {
            Element v = Xml.addNs(node, NS, PREFIX + ":volume", null);
            Xml.attr(v, "kind", kind);
            Xml.attr(v, "pool", ref.pool());
            Xml.attr(v, "name", ref.name());
        }
    }
}
