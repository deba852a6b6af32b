package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ProfileType;
import io.edgefleet.kit.rest.TagRules;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.repository.Profile;
import io.edgefleet.profile.service.LayerDraft;
import io.edgefleet.profile.service.ProfileDraft;
import io.edgefleet.profile.service.StackRules;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Body of {@code POST /v1/profiles}.
 *
 * @param version     default 1.0.0
 * @param type        FULL, INFRA or ADDON
 * @param environment {@code edge} (the default); ADDON profiles may leave it out
 * @param cloudType   {@code containerized} or {@code virtualized}; required for FULL and INFRA
 * @param layers      bottom of the stack first
 */
public record ProfileRequest(
        @Schema(required = true, maxLength = 64, pattern = "^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
        String name,

        @Schema(description = "MAJOR.MINOR.PATCH", defaultValue = DEFAULT_VERSION, pattern = "^\\d+\\.\\d+\\.\\d+$")
        String version,

        @Schema(maxLength = RequestRules.MAX_DESCRIPTION) String description,

        @Schema(description = "at most 50; keys of letters, digits, '.', '_', '-', '/', values up to 255 characters")
        Map<String, String> tags,

        @Schema(required = true, ref = "ProfileType") String type,

        @Schema(description = "`edge` (the default for FULL and INFRA)", enumeration = "edge")
        String environment,

        @Schema(ref = "CloudType", description = "required for FULL and INFRA profiles")
        String cloudType,

        @Schema(required = true, maxItems = StackRules.MAX_LAYERS, description = "bottom of the stack first")
        List<LayerRequest> layers,

        @Schema(description = "how running clusters take a re-link or change of this profile (default IMMEDIATE)")
        RolloutRequest rollout) {

    public static final String DEFAULT_VERSION = "1.0.0";

    ProfileDraft draft(Validator v) {
        v.text(name, "name", 1, 64, RequestRules.NAME, RequestRules.NAME_HINT);
        String chosenVersion = version == null ? DEFAULT_VERSION : version;
        v.text(chosenVersion, "version", 1, 20, RequestRules.PROFILE_VERSION, RequestRules.PROFILE_VERSION_HINT);
        RequestRules.description(description, "description", v);
        TagRules.check(tags, "tags", v);
        ProfileType profileType = RequestRules.enumValue(type, ProfileType.class, "type", v);
        boolean core = profileType == ProfileType.FULL || profileType == ProfileType.INFRA;
        v.require(environment == null || Profile.EDGE.equals(environment), "environment", "must be 'edge'");
        CloudType cloud = cloudType(cloudType, core, v);
        return new ProfileDraft(
                name,
                chosenVersion,
                description,
                tags,
                profileType,
                environment != null ? environment : core ? Profile.EDGE : null,
                cloud,
                layers(layers, v),
                rollout(rollout, v));
    }

    /** The strategy asked for; IMMEDIATE when none is given (also where the given one has errors, then reported). */
    static ProfileRollout rollout(RolloutRequest rollout, Validator v) {
        if (rollout == null) {
            return ProfileRollout.IMMEDIATE;
        }
        ProfileRollout drafted = rollout.draft("rollout", v);
        return drafted == null ? ProfileRollout.IMMEDIATE : drafted;
    }

    static CloudType cloudType(String value, boolean required, Validator v) {
        if (value == null) {
            v.require(!required, "cloudType", "is required for FULL and INFRA profiles: containerized or virtualized");
            return null;
        }
        try {
            return CloudType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.require(false, "cloudType", "must be containerized or virtualized");
            return null;
        }
    }

    /** Drafts of every layer (null where a layer has errors). */
    static List<LayerDraft> layers(List<LayerRequest> layers, Validator v) {
        List<LayerDraft> drafts = new ArrayList<>();
        if (layers == null) {
            v.require(false, "layers", "is required: the layers of the stack, bottom first");
            return drafts;
        }
        v.require(layers.size() <= StackRules.MAX_LAYERS, "layers", "at most " + StackRules.MAX_LAYERS + " layers");
        for (int i = 0; i < layers.size() && i < StackRules.MAX_LAYERS; i++) {
            LayerRequest layer = layers.get(i);
            if (layer == null) {
                v.require(false, "layers[" + i + "]", "must be a layer");
                drafts.add(null);
            } else {
                drafts.add(layer.draft(i, v));
            }
        }
        return drafts;
    }
}
