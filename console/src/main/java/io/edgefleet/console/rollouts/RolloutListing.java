package io.edgefleet.console.rollouts;

import io.edgefleet.sdk.model.Rollout;

import java.util.List;
import java.util.Map;

/** The rollouts page: the status filter as set, the rollouts, and the names of their profile versions. */
public record RolloutListing(String status, List<Rollout> items, Map<String, String> profileNames) {

    public String profileName(String id) {
        return id == null ? "–" : profileNames.getOrDefault(id, id);
    }
}
