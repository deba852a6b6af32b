package io.edgefleet.console.clusters;

import io.edgefleet.console.fleet.Appliances;
import io.edgefleet.console.fleet.FleetApi;
import io.edgefleet.console.fleet.ServiceProblem;
import io.edgefleet.console.forms.ClusterWizardForm;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.ApplianceStatus;
import io.edgefleet.sdk.model.ApplianceView;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.CreateClusterRequest;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.ProfileType;
import io.edgefleet.sdk.model.ProfileView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The cluster wizard's service calls: its choices (profile-, appliance- and policy-service) and the creation. */
@ApplicationScoped
public class ClusterCreation {

    static final int CHOICES = 200;

    @Inject
    FleetApi api;

    public WizardChoices choices() {
        List<ProfileView> profiles = new ArrayList<>();
        List<ProfileView> addons = List.of();
        String profilesError = null;
        try {
            for (ProfileType type : List.of(ProfileType.FULL, ProfileType.INFRA)) {
                profiles.addAll(items(api.fleet()
                        .profiles()
                        .listProfiles(null, 0, CHOICES, type)
                        .getItems()));
            }
            addons = items(api.fleet()
                    .profiles()
                    .listProfiles(null, 0, CHOICES, ProfileType.ADDON)
                    .getItems());
        } catch (ApiException e) {
            profilesError = Appliances.failed("profile-service", e).getMessage();
        }
        List<ApplianceView> appliances = List.of();
        String appliancesError = null;
        try {
            appliances = items(api.fleet()
                    .appliances()
                    .listAppliances(null, 0, CHOICES, ApplianceStatus.READY, null)
                    .getItems());
        } catch (ApiException e) {
            appliancesError = Appliances.failed(Appliances.SERVICE, e).getMessage();
        }
        List<PolicyView> policies = List.of();
        String policiesError = null;
        try {
            policies =
                    items(api.fleet().policies().listPolicies(null, 0, CHOICES).getItems());
        } catch (ApiException e) {
            policiesError = Appliances.failed("policy-service", e).getMessage();
        }
        return new WizardChoices(profiles, addons, profilesError, appliances, appliancesError, policies, policiesError);
    }

    /**
     * Creates the cluster of {@code form}: the new cluster, or empty with the service's refusal placed on the form
     * (field errors at their fields, all at once; a taken name at the name).
     */
    public Optional<ClusterView> create(ClusterWizardForm form) {
        CreateClusterRequest request = form.request();
        if (request == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(api.fleet().clusters().createCluster(request));
        } catch (ApiException e) {
            if (e.getCode() == 400 || e.getCode() == 409 || e.getCode() == 422) {
                ServiceProblem problem = ServiceProblem.of(e);
                if (problem.fieldErrors().isEmpty()) {
                    String message = problem.detail() != null
                            ? problem.detail()
                            : "cluster-service refused (" + e.getCode() + ")";
                    form.withError(e.getCode() == 409 ? "name" : ClusterWizardForm.FORM, message);
                } else {
                    form.withServiceErrors(problem.fieldErrors());
                }
                return Optional.empty();
            }
            throw Appliances.failed(Clusters.SERVICE, e);
        }
    }

    private static <T> List<T> items(List<T> items) {
        return items == null ? List.of() : items;
    }
}
