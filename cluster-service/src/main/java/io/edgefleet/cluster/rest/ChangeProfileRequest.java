package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.service.ClusterInputRules;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code PUT /v1/clusters/{id}/profile}: the profile, add-ons and per-pack overrides the cluster is
 * built from from now on (all replaced; omitted lists and maps mean none). The nodes roll per their pool's
 * strategy.
 */
public record ChangeProfileRequest(
        @Schema(required = true) String profileId, List<String> addonProfileIds, Map<String, String> packValues) {

    void validate() {
        Validator v = new Validator();
        ClusterInputRules.profileId(profileId, "profileId", v);
        ClusterInputRules.addonProfileIds(addonProfileIds, profileId, "addonProfileIds", v);
        ClusterInputRules.packValues(packValues, "packValues", v);
        v.throwIfInvalid();
    }
}
