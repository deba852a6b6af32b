package io.edgefleet.gateway.nodes.libvirt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.events.payload.NodeSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The document a guest reads at first boot to configure itself: host name, ssh keys, environment and
 * files. It reaches the guest only as a QEMU fw_cfg entry {@link #FW_CFG_NAME}, <b>base64-encoded</b> (the domain's
 * metadata keeps its SHA-256); inside the guest (kernel module {@code qemu_fw_cfg}):
 * <pre>base64 -d /sys/firmware/qemu_fw_cfg/by_name/opt/io.edgefleet/bootstrap/raw</pre>
 * Why base64: libvirt (seen with 9.0, Debian 12) hands the entry to QEMU as
 * {@code -fw_cfg name=...,string=VALUE} without doubling the commas in VALUE, so a comma in any value
 * would end the string and start another QEMU option (e.g. {@code ,file=/etc/shadow} would hand a host
 * file to the guest) — and it passes the value still XML-escaped ({@code "} arrives as {@code &quot;}).
 * Base64 has neither commas nor XML-special characters.
 *
 * <pre>{@code
 * {"version":1,"cluster":"c1","pool":"workers","node":"n1","role":"WORKER","hostname":"n1",
 *  "sshAuthorizedKeys":["ssh-ed25519 ..."],"env":{"HTTP_PROXY":"..."},
 *  "files":[{"path":"/etc/x","content":"...","owner":"root:root","permissions":"0644"}]}
 * }</pre>
 */
final class Bootstrap {

    static final String FW_CFG_NAME = "opt/io.edgefleet/bootstrap";
    /**
     * libvirt passes the entry on QEMU's command line ({@code -fw_cfg name=...,string=...}); Linux caps
     * one argument at 128 KiB, and base64 makes 64 KiB into 86 KiB.
     */
    static final int MAX_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Bootstrap() {}

    static String json(NodeSpec spec, String hostname) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", 1);
        doc.put("cluster", spec.clusterId());
        doc.put("pool", spec.poolName());
        doc.put("node", spec.nodeId());
        doc.put("role", spec.role().name());
        doc.put("hostname", hostname);
        doc.put("sshAuthorizedKeys", spec.sshAuthorizedKeys() == null ? List.of() : spec.sshAuthorizedKeys());
        doc.put("env", spec.env() == null ? Map.of() : new TreeMap<>(spec.env()));
        List<Map<String, String>> files = new ArrayList<>();
        if (spec.files() != null) {
            for (NodeSpec.NodeFile f : spec.files()) {
                Map<String, String> file = new LinkedHashMap<>();
                file.put("path", f.path());
                file.put("content", f.content() == null ? "" : f.content());
                file.put("owner", f.owner() == null ? "root:root" : f.owner());
                file.put("permissions", f.permissions() == null ? "0644" : f.permissions());
                files.add(file);
            }
        }
        doc.put("files", files);
        String json;
        try {
            json = JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("bootstrap document (ssh keys, env, files) is " + bytes
                    + " bytes; at most " + MAX_BYTES + " fit into the guest's fw_cfg entry");
        }
        return json;
    }

    /** The fw_cfg entry's value: the document in base64 (see the class comment). */
    static String fwCfgValue(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
