package io.edgefleet.policy.service;

import io.edgefleet.events.payload.PolicyKind;
import io.edgefleet.policy.repository.PolicySettings;

import java.util.List;

/**
 * A validated policy definition as the service stores it (the REST layer's {@code PolicyRequest.definition()}
 * makes it): the schedule trimmed, the time zone defaulted, the settings with their defaults, the secret apart.
 *
 * @param cron   null: the policy runs on demand only
 * @param secret the store's secret access key when one was given (sealed before it is stored), else null
 */
public record PolicyDefinition(
        String name,
        PolicyKind kind,
        String cron,
        String timeZone,
        List<String> clusterIds,
        PolicySettings settings,
        String secret) {

    /** Clusters per policy. */
    public static final int MAX_CLUSTERS = 100;

    public PolicyDefinition {
        clusterIds = List.copyOf(clusterIds);
    }

    /** Never the secret: this may end up in a log. */
    @Override
    public String toString() {
        return "PolicyDefinition[name=" + name + ", kind=" + kind + ", cron=" + cron + ", timeZone=" + timeZone
                + ", clusterIds=" + clusterIds + ", settings=" + settings + ", secret="
                + (secret == null ? "none" : "(given)") + "]";
    }
}
