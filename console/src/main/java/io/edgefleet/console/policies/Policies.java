package io.edgefleet.console.policies;

import io.edgefleet.console.fleet.Appliances;
import io.edgefleet.console.fleet.FleetApi;
import io.edgefleet.console.fleet.ServiceCallFailed;
import io.edgefleet.console.fleet.ServiceProblem;
import io.edgefleet.console.forms.PolicyForm;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyRequest;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.RunView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** The tenant's policies (policy-service): listed, read with their latest runs, created, replaced, deleted. */
@ApplicationScoped
public class Policies {

    public static final String SERVICE = "policy-service";
    static final int SHOWN = 200;
    static final int RUNS_SHOWN = 20;

    @Inject
    FleetApi api;

    /** The tenant's policies of {@code kind} (all when blank or not a kind), by name. */
    public List<PolicyView> list(String kind) {
        try {
            var page = api.fleet().policies().listPolicies(kind(kind), 0, SHOWN);
            return page.getItems() == null ? List.of() : page.getItems();
        } catch (ApiException e) {
            throw Appliances.failed(SERVICE, e);
        }
    }

    /**
     * The tenant's SCAN policies to choose a rollout's scan gate from, or null when policy-service does not answer: a
     * form offering them then says so rather than failing whole.
     */
    public List<PolicyView> scanPoliciesIfAnswering() {
        try {
            return list(PolicyKind.SCAN.getValue());
        } catch (ServiceCallFailed e) {
            return null;
        }
    }

    /** The policy, or empty when the tenant has none with this id (another tenant's: the service answers 404). */
    public Optional<PolicyView> get(String id) {
        Optional<UUID> uuid = uuid(id);
        if (uuid.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(api.fleet().policies().getPolicy(uuid.get()));
        } catch (ApiException e) {
            if (e.getCode() == 404 || e.getCode() == 400) {
                return Optional.empty();
            }
            throw Appliances.failed(SERVICE, e);
        }
    }

    /** The policy's latest runs, newest first. */
    public List<RunView> runs(UUID id) {
        try {
            var page = api.fleet().policies().listPolicyRuns(id, null, 0, RUNS_SHOWN, null);
            return page.getItems() == null ? List.of() : page.getItems();
        } catch (ApiException e) {
            throw Appliances.failed(SERVICE, e);
        }
    }

    /** Creates the form's policy: the policy, or empty with the service's errors on the form (nothing created). */
    public Optional<PolicyView> create(PolicyForm form) {
        return send(form, request -> api.fleet().policies().createPolicy(request));
    }

    /** Replaces policy {@code id} with the form's: the policy, or empty with the service's errors on the form. */
    public Optional<PolicyView> replace(UUID id, PolicyForm form) {
        return send(form, request -> api.fleet().policies().replacePolicy(id, request));
    }

    public void delete(UUID id) {
        try {
            api.fleet().policies().deletePolicy(id);
        } catch (ApiException e) {
            throw Appliances.failed(SERVICE, e);
        }
    }

    private interface Call {
        PolicyView send(PolicyRequest request) throws ApiException;
    }

    private Optional<PolicyView> send(PolicyForm form, Call call) {
        PolicyRequest request = form.request();
        if (request == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(call.send(request));
        } catch (ApiException e) {
            if (e.getCode() == 400 || e.getCode() == 409 || e.getCode() == 422) {
                ServiceProblem problem = ServiceProblem.of(e);
                if (problem.fieldErrors().isEmpty()) {
                    form.withError(PolicyForm.FORM, problem.detail() == null ? "refused" : problem.detail());
                } else {
                    form.withServiceErrors(problem.fieldErrors());
                }
                return Optional.empty();
            }
            throw Appliances.failed(SERVICE, e);
        }
    }

    static PolicyKind kind(String kind) {
        if (kind == null || kind.isBlank()) {
            return null;
        }
        try {
            return PolicyKind.fromValue(kind.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
