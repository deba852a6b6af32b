package io.edgefleet.profile.values;

import io.edgefleet.events.net.Cidr;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.kit.rest.Validator;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks of merged values that the core layers depend on. They run on the merged result (defaults,
 * presets and overrides together), so an error is reported wherever the bad value came from.
 * <ul>
 *   <li>KUBERNETES: {@code pack.podCIDR} and {@code pack.serviceCIDR} are valid CIDRs and do not overlap.</li>
 *   <li>OS: {@code kubeadmconfig} commands are lists of strings; each of {@code kubeadmconfig.files} has an
 *   absolute {@code targetPath}, a {@code user:group} {@code targetOwner}, an octal
 *   {@code targetPermissions} and a string {@code content} (e.g. a custom CA certificate).</li>
 * </ul>
 */
public final class PackValueRules {

    public static final String POD_CIDR = "pack.podCIDR";
    public static final String SERVICE_CIDR = "pack.serviceCIDR";

    private static final Pattern OWNER =
            Pattern.compile("([a-z_][a-z0-9_-]{0,31}|\\d{1,10}):([a-z_][a-z0-9_-]{0,31}|\\d{1,10})");
    private static final Pattern PERMISSIONS = Pattern.compile("0?[0-7]{3}");
    private static final Pattern PATH = Pattern.compile("/[^\\u0000]*");

    private PackValueRules() {}

    /** @param field the values' field, e.g. {@code layers[1].values} */
    public static void check(PackLayer layer, Map<String, Object> merged, String field, Validator v) {
        if (layer == PackLayer.KUBERNETES) {
            kubernetes(merged, field, v);
        } else if (layer == PackLayer.OS) {
            os(merged, field, v);
        }
    }

    private static void kubernetes(Map<String, Object> values, String field, Validator v) {
        Cidr pods = cidr(values, POD_CIDR, field, v);
        Cidr services = cidr(values, SERVICE_CIDR, field, v);
        if (pods != null && services != null) {
            v.require(
                    !pods.overlaps(services),
                    field + "." + SERVICE_CIDR,
                    "'" + Values.at(values, SERVICE_CIDR) + "' overlaps the pod CIDR '" + Values.at(values, POD_CIDR)
                            + "'; pods and services need separate ranges");
        }
    }

    private static Cidr cidr(Map<String, Object> values, String path, String field, Validator v) {
        Object value = Values.at(values, path);
        if (!(value instanceof String text) || text.isBlank()) {
            v.require(false, field + "." + path, "is required: a CIDR range like 10.96.0.0/12");
            return null;
        }
        try {
            return Cidr.parse(text.trim());
        } catch (IllegalArgumentException e) {
            v.require(false, field + "." + path, e.getMessage());
            return null;
        }
    }

    private static void os(Map<String, Object> values, String field, Validator v) {
        Object kubeadm = values.get("kubeadmconfig");
        if (kubeadm == null) {
            return;
        }
        String base = field + ".kubeadmconfig";
        if (!(kubeadm instanceof Map<?, ?> config)) {
            v.require(false, base, "must be a mapping");
            return;
        }
        commands(config.get("preKubeadmCommands"), base + ".preKubeadmCommands", v);
        commands(config.get("postKubeadmCommands"), base + ".postKubeadmCommands", v);
        Object files = config.get("files");
        if (files == null) {
            return;
        }
        if (!(files instanceof List<?> list)) {
            v.require(false, base + ".files", "must be a list of files");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String at = base + ".files[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> file)) {
                v.require(false, at, "must be a mapping with targetPath, targetOwner, targetPermissions and content");
                continue;
            }
            v.require(
                    file.get("targetPath") instanceof String p
                            && PATH.matcher(p).matches()
                            && !p.contains("/../"),
                    at + ".targetPath",
                    "must be an absolute path like /usr/local/share/ca-certificates/my-ca.crt");
            v.require(
                    file.get("targetOwner") == null
                            || file.get("targetOwner") instanceof String o
                                    && OWNER.matcher(o).matches(),
                    at + ".targetOwner",
                    "must be user:group, e.g. \"root:root\"");
            v.require(
                    file.get("targetPermissions") == null
                            || file.get("targetPermissions") instanceof String p
                                    && PERMISSIONS.matcher(p).matches(),
                    at + ".targetPermissions",
                    "must be a quoted octal mode like \"0644\"");
            v.require(file.get("content") instanceof String, at + ".content", "is required: the file's text");
        }
    }

    private static void commands(Object commands, String field, Validator v) {
        v.require(
                commands == null
                        || commands instanceof List<?> list && list.stream().allMatch(c -> c instanceof String),
                field,
                "must be a list of shell commands (strings)");
    }
}
