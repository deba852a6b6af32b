package io.edgefleet.console.clusters;

import io.edgefleet.sdk.model.ApplianceView;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.ProfileView;

import java.util.List;
import java.util.Optional;

/**
 * What the cluster wizard offers to choose from: the tenant's FULL and INFRA profiles, its ADDON profiles, its READY
 * appliances and its policies. A service that did not answer is named in its step ({@code *Error}); the wizard still
 * works for the other steps.
 */
public record WizardChoices(
        List<ProfileView> profiles,
        List<ProfileView> addons,
        String profilesError,
        List<ApplianceView> appliances,
        String appliancesError,
        List<PolicyView> policies,
        String policiesError) {

    public Optional<ProfileView> profile(String id) {
        return profiles.stream().filter(p -> p.getId().equals(id)).findFirst();
    }

    /** The chosen profile, or null (its layers are the parameters step's packs). */
    public ProfileView chosen(String id) {
        return profile(id).orElse(null);
    }
}
