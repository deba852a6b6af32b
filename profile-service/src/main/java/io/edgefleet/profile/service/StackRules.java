package io.edgefleet.profile.service;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileType;
import io.edgefleet.kit.rest.Validator;

import java.util.List;

/**
 * Which layers a profile type allows, bottom of the stack first: FULL and INFRA start with exactly one
 * OS, KUBERNETES, NETWORK and STORAGE layer in that order; add-ons follow in FULL profiles only;
 * ADDON profiles have add-on layers only (at least one).
 */
public final class StackRules {

    public static final int MAX_LAYERS = 32;

    private StackRules() {}

    /** @param layers the layer kind at each position; null where it is unknown (an error was already reported) */
    public static void check(ProfileType type, List<PackLayer> layers, Validator v) {
        if (type == null) {
            return;
        }
        if (type == ProfileType.ADDON) {
            v.require(!layers.isEmpty(), "layers", "an ADDON profile needs at least one add-on layer");
            for (int i = 0; i < layers.size(); i++) {
                PackLayer layer = layers.get(i);
                v.require(
                        layer == null || !layer.isCore(),
                        "layers[" + i + "]",
                        "ADDON profiles cannot have core layers; " + layer + " belongs in a FULL or INFRA profile");
            }
            return;
        }
        List<PackLayer> core = PackLayer.CORE;
        for (int i = 0; i < core.size(); i++) {
            if (i >= layers.size()) {
                v.require(
                        false,
                        "layers",
                        type + " profiles start with the layers OS, KUBERNETES, NETWORK, STORAGE; "
                                + String.join(
                                        ", ",
                                        core.subList(i, core.size()).stream()
                                                .map(Enum::name)
                                                .toList()) + " missing");
                break;
            }
            PackLayer layer = layers.get(i);
            v.require(
                    layer == null || layer == core.get(i),
                    "layers[" + i + "]",
                    "must be the " + core.get(i) + " layer (" + type
                            + " profiles start with OS, KUBERNETES, NETWORK, STORAGE), found " + layer);
        }
        for (int i = core.size(); i < layers.size(); i++) {
            PackLayer layer = layers.get(i);
            if (layer == null) {
                continue;
            }
            if (layer.isCore()) {
                v.require(
                        false,
                        "layers[" + i + "]",
                        "a second " + layer + " layer; " + type + " profiles have exactly one");
            } else {
                v.require(
                        type == ProfileType.FULL,
                        "layers[" + i + "]",
                        "INFRA profiles have only the core layers; put add-ons in a FULL or ADDON profile");
            }
        }
    }
}
