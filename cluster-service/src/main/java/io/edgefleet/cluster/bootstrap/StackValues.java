package io.edgefleet.cluster.bootstrap;

import io.edgefleet.cluster.repository.AppliedProfiles;
import io.edgefleet.cluster.repository.ProfileCopy;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The effective values of a cluster's packs: each layer's merged values (pack defaults, presets, the
 * profile's overrides) with the cluster's per-pack override merged on top.
 */
public final class StackValues {

    public static final String POD_CIDR = "pack.podCIDR";
    public static final String SERVICE_CIDR = "pack.serviceCIDR";

    private final ProfileCopy profile;
    private final Map<PackLayer, ProfileLayer> core = new LinkedHashMap<>();
    private final Map<PackLayer, Map<String, Object>> coreValues = new LinkedHashMap<>();
    private final Set<String> packNames = new LinkedHashSet<>();

    private StackValues(AppliedProfiles profiles, Map<String, String> overrides) {
        this.profile = profiles.profile();
        Map<String, String> packOverrides = overrides == null ? Map.of() : overrides;
        List<ProfileCopy> all = new ArrayList<>();
        all.add(profiles.profile());
        all.addAll(profiles.addons() == null ? List.of() : profiles.addons());
        all.forEach(p -> p.layers().forEach(l -> packNames.add(l.name())));
        for (ProfileLayer layer : profile.layers()) {
            if (layer.layer() == null || !layer.layer().isCore() || core.containsKey(layer.layer())) {
                continue;
            }
            Map<String, Object> merged;
            try {
                merged = PackValues.parse(layer.mergedValues());
            } catch (IllegalArgumentException e) {
                throw new RenderException(
                        "profileId",
                        "layer '" + layer.name() + "' of profile '" + profile.name() + "' has merged values that "
                                + e.getMessage());
            }
            String override = packOverrides.get(layer.name());
            if (override != null) {
                try {
                    merged = PackValues.merge(merged, PackValues.parse(override));
                } catch (IllegalArgumentException e) {
                    throw new RenderException("packValues." + layer.name(), e.getMessage());
                }
            }
            core.put(layer.layer(), layer);
            coreValues.put(layer.layer(), merged);
        }
    }

    /** @throws RenderException when merged values or an override are not YAML mappings */
    public static StackValues of(AppliedProfiles profiles, Map<String, String> overrides) {
        return new StackValues(profiles, overrides);
    }

    /** The effective values of the profile's core layer (empty when the profile has none). */
    public Map<String, Object> values(PackLayer layer) {
        return coreValues.getOrDefault(layer, Map.of());
    }

    public ProfileLayer layer(PackLayer layer) {
        return core.get(layer);
    }

    public Map<PackLayer, ProfileLayer> coreLayers() {
        return core;
    }

    /** Every pack (layer) name of the profile and its add-ons: what overrides may name. */
    public Set<String> packNames() {
        return packNames;
    }

    public String text(PackLayer layer, String path) {
        Object value = PackValues.at(values(layer), path);
        return value instanceof String s && !s.isBlank() ? s.trim() : null;
    }

    public String podCidr() {
        return text(PackLayer.KUBERNETES, POD_CIDR);
    }

    public String serviceCidr() {
        return text(PackLayer.KUBERNETES, SERVICE_CIDR);
    }

    /** The field to name when a value of this layer is wrong: its override. */
    public String field(PackLayer layer, String path) {
        ProfileLayer l = core.get(layer);
        return "packValues." + (l == null ? layer.name().toLowerCase(Locale.ROOT) : l.name()) + "." + path;
    }
}
