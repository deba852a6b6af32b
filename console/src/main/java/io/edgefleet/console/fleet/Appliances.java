package io.edgefleet.console.fleet;

import io.edgefleet.console.forms.ApplianceForm;
import io.edgefleet.console.forms.TagsForm;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.ApplianceStatus;
import io.edgefleet.sdk.model.ApplianceView;
import io.edgefleet.sdk.model.PageApplianceView;
import io.edgefleet.sdk.model.RegisterAppliance;
import io.edgefleet.sdk.model.ReplaceTags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The appliances of the signed-in user's tenant, read and registered through appliance-service. */
@ApplicationScoped
public class Appliances {

    public static final String SERVICE = "appliance-service";
    private static final int PAGE_SIZE = 200;

    @Inject
    FleetApi api;

    public static List<String> statuses() {
        return Arrays.stream(ApplianceStatus.values())
                .map(ApplianceStatus::getValue)
                .toList();
    }

    /**
     * The appliances with {@code status} and {@code tag} ({@code key} or {@code key:value}; both filtered by the
     * service) whose uid or name contains {@code query} (searched here: the API has no text search).
     */
    public ApplianceListing list(String status, String tag, String query) {
        ApplianceStatus statusFilter = null;
        if (!blank(status)) {
            try {
                statusFilter = ApplianceStatus.fromValue(status.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return new ApplianceListing(
                        status, tag, query, List.of(), 0, false, "status: one of " + String.join(", ", statuses()));
            }
        }
        List<String> tags = blank(tag) ? null : List.of(tag.strip());
        List<ApplianceView> read = new ArrayList<>();
        long total = 0;
        try {
            for (int page = 0; read.size() < ApplianceListing.MAX_READ; page++) {
                PageApplianceView p =
                        api.fleet().appliances().listAppliances(null, page, PAGE_SIZE, statusFilter, tags);
                List<ApplianceView> items = p.getItems() == null ? List.of() : p.getItems();
                read.addAll(items);
                total = p.getTotal() == null ? read.size() : p.getTotal();
                if (items.isEmpty() || read.size() >= total) {
                    break;
                }
            }
        } catch (ApiException e) {
            if (e.getCode() == 400) {
                ServiceProblem problem = ServiceProblem.of(e);
                String message = problem.fieldErrors().isEmpty()
                        ? problem.detail()
                        : problem.fieldErrors().entrySet().stream()
                                .map(f -> f.getKey() + ": " + f.getValue())
                                .reduce((a, b) -> a + "; " + b)
                                .orElse("");
                return new ApplianceListing(status, tag, query, List.of(), 0, false, message);
            }
            throw failed(e);
        }
        List<ApplianceView> found = ApplianceListing.search(read, query);
        return new ApplianceListing(status, tag, query, found, found.size(), total > read.size(), null);
    }

    /** The appliance, or empty when the tenant has none with this uid (another tenant's is not found either). */
    public Optional<ApplianceView> get(String uid) {
        try {
            return Optional.of(api.fleet().appliances().getAppliance(uid));
        } catch (ApiException e) {
            // 400: not a uid at all, so no such appliance
            if (e.getCode() == 404 || e.getCode() == 400) {
                return Optional.empty();
            }
            throw failed(e);
        }
    }

    /**
     * Registers the appliance of {@code form}; the registered appliance, or empty with the service's field errors
     * placed on the form.
     */
    public Optional<ApplianceView> register(ApplianceForm form) {
        RegisterAppliance request = form.request();
        if (request == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(api.fleet().appliances().registerAppliance(request));
        } catch (ApiException e) {
            if (e.getCode() == 400) {
                form.withServiceErrors(ServiceProblem.of(e).fieldErrors());
                return Optional.empty();
            }
            if (e.getCode() == 409) {
                ServiceProblem problem = ServiceProblem.of(e);
                form.withError(
                        ApplianceForm.UID,
                        problem.detail() == null ? "this uid is already registered" : problem.detail());
                return Optional.empty();
            }
            throw failed(e);
        }
    }

    /**
     * Replaces the appliance's tags with those of {@code form}: the appliance afterwards, or empty with the service's
     * field errors at the tags box.
     */
    public Optional<ApplianceView> replaceTags(String uid, TagsForm form) {
        Map<String, String> tags = form.tags();
        if (tags == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(api.fleet().appliances().replaceApplianceTags(uid, new ReplaceTags().tags(tags)));
        } catch (ApiException e) {
            if (e.getCode() == 400) {
                ServiceProblem problem = ServiceProblem.of(e);
                if (problem.fieldErrors().isEmpty()) {
                    form.withError(problem.detail() == null ? "refused" : problem.detail());
                } else {
                    form.withServiceErrors(problem.fieldErrors());
                }
                return Optional.empty();
            }
            throw failed(e);
        }
    }

    /** Deletes the appliance; the service's refusal (409: a cluster uses it), or null when it is gone. */
    public String delete(String uid) {
        try {
            api.fleet().appliances().deleteAppliance(uid);
            return null;
        } catch (ApiException e) {
            if (e.getCode() == 409) {
                String detail = ServiceProblem.of(e).detail();
                return detail == null ? "a cluster uses this appliance" : detail;
            }
            throw failed(e);
        }
    }

    public static ServiceCallFailed failed(ApiException e) {
        return failed(SERVICE, e);
    }

    public static ServiceCallFailed failed(String service, ApiException e) {
        String message = e.getCode() == 0
                ? service + " did not answer"
                : service + " answered " + e.getCode()
                        + Optional.ofNullable(ServiceProblem.of(e).detail())
                                .map(d -> ": " + d)
                                .orElse("");
        return new ServiceCallFailed(service, e.getCode(), message, e);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
