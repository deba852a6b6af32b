package io.edgefleet.cluster.service;

import io.edgefleet.cluster.bootstrap.PackValues;
import io.edgefleet.kit.rest.Validator;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shape rules of cluster input, shared by the create, scale and profile-change bodies: what can be
 * checked without knowing the profile or the appliances.
 */
public final class ClusterInputRules {

    /** Cluster names: lowercase DNS labels (they name Kubernetes clusters). */
    public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Pool names: as the gateway accepts them (they end up in labels and domain metadata). */
    public static final Pattern POOL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Appliance uids: as appliance-service accepts them. */
    public static final Pattern UID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62}[A-Za-z0-9])?");

    public static final Pattern PROFILE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    public static final Pattern PACK_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,126}[A-Za-z0-9])?");
    /** libvirt network and storage pool names. */
    public static final Pattern LIBVIRT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public static final Pattern CPU_SET = Pattern.compile("\\d{1,4}(-\\d{1,4})?(,\\d{1,4}(-\\d{1,4})?){0,63}");
    public static final Set<Integer> MASTER_SIZES = Set.of(1, 3, 5);
    public static final int MAX_POOL_SIZE = 100;
    public static final int MAX_ADDONS = 20;
    public static final int MAX_PACK_VALUES = 50;

    private ClusterInputRules() {}

    public static void profileId(String id, String field, Validator v) {
        v.text(id, field, 1, 128, PROFILE_ID, "must be a profile id (letters, digits, '.', '_', ':', '-')");
    }

    public static void addonProfileIds(List<String> ids, String profileId, String field, Validator v) {
        if (ids == null) {
            return;
        }
        v.require(ids.size() <= MAX_ADDONS, field, "at most " + MAX_ADDONS + " add-on profiles");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String at = field + "[" + i + "]";
            if (v.text(ids.get(i), at, 1, 128, PROFILE_ID, "must be a profile id")) {
                v.require(seen.add(ids.get(i)), at, "is listed twice");
                v.require(!ids.get(i).equals(profileId), at, "is the cluster's profile itself");
            }
        }
    }

    public static void packValues(Map<String, String> values, String field, Validator v) {
        if (values == null) {
            return;
        }
        v.require(values.size() <= MAX_PACK_VALUES, field, "at most " + MAX_PACK_VALUES + " packs can be overridden");
        values.forEach((pack, yaml) -> {
            String at = field + "." + pack;
            if (v.text(pack, at, 1, 128, PACK_NAME, "must be the name of a pack of the cluster's profiles")) {
                v.require(yaml != null, at, "is required: the YAML values merged over the pack's values");
                if (yaml != null) {
                    try {
                        PackValues.parse(yaml);
                    } catch (IllegalArgumentException e) {
                        v.require(false, at, e.getMessage());
                    }
                }
            }
        });
    }

    /** Highest CPU number of a checked cpu set. */
    public static int highestCpu(String cpuSet) {
        int highest = 0;
        for (String part : cpuSet.split("[,-]")) {
            highest = Math.max(highest, Integer.parseInt(part));
        }
        return highest;
    }

    public static boolean cpuSetRangesValid(String cpuSet) {
        for (String part : cpuSet.split(",")) {
            String[] range = part.split("-");
            if (range.length == 2 && Integer.parseInt(range[0]) > Integer.parseInt(range[1])) {
                return false;
            }
        }
        return true;
    }
}
