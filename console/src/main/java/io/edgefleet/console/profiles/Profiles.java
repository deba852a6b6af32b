package io.edgefleet.console.profiles;

import io.edgefleet.console.fleet.Appliances;
import io.edgefleet.console.fleet.FleetApi;
import io.edgefleet.console.fleet.ServiceProblem;
import io.edgefleet.console.forms.ProfileForm;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.NewVersionRequest;
import io.edgefleet.sdk.model.PackLayer;
import io.edgefleet.sdk.model.PackView;
import io.edgefleet.sdk.model.PagePackView;
import io.edgefleet.sdk.model.PageProfileView;
import io.edgefleet.sdk.model.ProfileRequest;
import io.edgefleet.sdk.model.ProfileType;
import io.edgefleet.sdk.model.ProfileView;
import io.edgefleet.sdk.model.ResolvedProfileView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The tenant's cluster profiles and the pack catalog, read and made through profile-service. */
@ApplicationScoped
public class Profiles {

    public static final String SERVICE = "profile-service";
    static final int PAGE_SIZE = 200;

    @Inject
    FleetApi api;

    /** One profile version with the others of its name and, when it resolves, its resolved stack. */
    public record ProfileDetail(
            ProfileView profile, List<ProfileView> versions, ResolvedProfileView resolved, String resolveError) {}

    public static List<String> types() {
        return Arrays.stream(ProfileType.values()).map(ProfileType::getValue).toList();
    }

    /** The tenant's profile versions (by name and version), of {@code type} when one is given. */
    public List<ProfileView> list(String type) {
        ProfileType filter = null;
        if (type != null && !type.isBlank()) {
            try {
                filter = ProfileType.fromValue(type.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                filter = null;
            }
        }
        try {
            PageProfileView page = api.fleet().profiles().listProfiles(null, 0, PAGE_SIZE, filter);
            return page.getItems() == null ? List.of() : page.getItems();
        } catch (ApiException e) {
            throw Appliances.failed(SERVICE, e);
        }
    }

    /** The profile version, or empty when the tenant has none with this id (another tenant's is not found either). */
    public Optional<ProfileView> get(String id) {
        try {
            return Optional.of(api.fleet().profiles().getProfile(id));
        } catch (ApiException e) {
            if (e.getCode() == 404 || e.getCode() == 400) {
                return Optional.empty();
            }
            throw Appliances.failed(SERVICE, e);
        }
    }

    public Optional<ProfileDetail> detail(String id) {
        Optional<ProfileView> profile = get(id);
        if (profile.isEmpty()) {
            return Optional.empty();
        }
        try {
            List<ProfileView> versions = api.fleet().profiles().listProfileVersions(id);
            ResolvedProfileView resolved = null;
            String resolveError = null;
            try {
                resolved = api.fleet().profiles().getResolvedProfile(id);
            } catch (ApiException e) {
                if (e.getCode() == 0 || e.getCode() >= 500) {
                    throw e;
                }
                // e.g. a release that is no longer published: the page still shows the profile
                ServiceProblem p = ServiceProblem.of(e);
                resolveError = p.detail() != null ? p.detail() : "profile-service answered " + e.getCode();
            }
            return Optional.of(new ProfileDetail(profile.get(), versions, resolved, resolveError));
        } catch (ApiException e) {
            throw Appliances.failed(SERVICE, e);
        }
    }

    /** The versions of the profile {@code id} belongs to, oldest first. */
    public List<ProfileView> versions(String id) {
        try {
            return api.fleet().profiles().listProfileVersions(id);
        } catch (ApiException e) {
            throw Appliances.failed(SERVICE, e);
        }
    }

    /** Creates the profile; empty when the service refused (its field errors are then on the form). */
    public Optional<ProfileView> create(ProfileForm form) {
        ProfileRequest request = form.profileRequest();
        if (request == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(api.fleet().profiles().createProfile(request));
        } catch (ApiException e) {
            refused(form, e);
            return Optional.empty();
        }
    }

    /** Creates a new version of {@code id}; empty when the service refused (errors on the form). */
    public Optional<ProfileView> createVersion(String id, ProfileForm form) {
        NewVersionRequest request = form.versionRequest();
        if (request == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(api.fleet().profiles().createProfileVersion(id, request));
        } catch (ApiException e) {
            refused(form, e);
            return Optional.empty();
        }
    }

    private static void refused(ProfileForm form, ApiException e) {
        if (e.getCode() != 400 && e.getCode() != 409) {
            throw Appliances.failed(SERVICE, e);
        }
        ServiceProblem problem = ServiceProblem.of(e);
        if (!problem.fieldErrors().isEmpty()) {
            form.withServiceErrors(problem.fieldErrors());
        } else if (e.getCode() == 409) {
            form.withError(ProfileForm.VERSION, problem.detail() != null ? problem.detail() : "this version exists");
        } else {
            form.withError(ProfileForm.FORM, problem.detail() != null ? problem.detail() : "profile-service refused");
        }
    }

    /** The pack and chart catalog by layer (built-in and the tenant's registries; newest releases only). */
    public Map<String, List<PackView>> catalog() {
        Map<String, List<PackView>> byLayer = new LinkedHashMap<>();
        try {
            for (PackLayer layer : PackLayer.values()) {
                List<PackView> packs = new ArrayList<>();
                int page = 0;
                PagePackView p;
                do {
                    p = api.fleet().packs().searchPacks(layer, null, page++, false, null, PAGE_SIZE, null);
                    if (p.getItems() != null) {
                        packs.addAll(p.getItems());
                    }
                } while (p.getItems() != null && p.getItems().size() == PAGE_SIZE && page < 10);
                byLayer.put(layer.getValue(), packs);
            }
            return byLayer;
        } catch (ApiException e) {
            throw Appliances.failed(SERVICE, e);
        }
    }
}
