package io.edgefleet.console.rollouts;

import io.edgefleet.console.clusters.Clusters;
import io.edgefleet.console.fleet.Appliances;
import io.edgefleet.console.fleet.FleetApi;
import io.edgefleet.console.fleet.ServiceProblem;
import io.edgefleet.console.forms.RolloutForm;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.CreateRolloutRequest;
import io.edgefleet.sdk.model.PageRolloutView;
import io.edgefleet.sdk.model.Rollout;
import io.edgefleet.sdk.model.RolloutStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The tenant's rollouts, read, made and acted on through cluster-service. */
@ApplicationScoped
public class Rollouts {

    static final int PAGE_SIZE = 200;

    @Inject
    FleetApi api;

    public static List<String> statuses() {
        return Arrays.stream(RolloutStatus.values())
                .map(RolloutStatus::getValue)
                .toList();
    }

    /** The tenant's rollouts with {@code status} (any when blank or not a status). */
    public List<Rollout> list(String status) {
        RolloutStatus filter = null;
        if (status != null && !status.isBlank()) {
            try {
                filter = RolloutStatus.fromValue(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                filter = null;
            }
        }
        try {
            PageRolloutView page = api.fleet().rollouts().listRollouts(0, PAGE_SIZE, filter);
            return page.getItems() == null ? List.of() : page.getItems();
        } catch (ApiException e) {
            throw Appliances.failed(Clusters.SERVICE, e);
        }
    }

    /** The rollout, or empty when the tenant has none with this id (another tenant's is not found either). */
    public Optional<Rollout> get(String id) {
        try {
            return Optional.of(api.fleet().rollouts().getRollout(id));
        } catch (ApiException e) {
            if (e.getCode() == 404 || e.getCode() == 400) {
                return Optional.empty();
            }
            throw Appliances.failed(Clusters.SERVICE, e);
        }
    }

    /** Creates it; empty when refused (the service's field errors are then on the form). */
    public Optional<Rollout> create(RolloutForm form) {
        CreateRolloutRequest request = form.request();
        if (request == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(api.fleet().rollouts().createRollout(request));
        } catch (ApiException e) {
            if (e.getCode() != 400 && e.getCode() != 409) {
                throw Appliances.failed(Clusters.SERVICE, e);
            }
            ServiceProblem problem = ServiceProblem.of(e);
            if (problem.fieldErrors().isEmpty()) {
                form.withError(
                        RolloutForm.FORM, problem.detail() != null ? problem.detail() : "cluster-service refused");
            } else {
                form.withServiceErrors(problem.fieldErrors());
            }
            return Optional.empty();
        }
    }

    /** Pause, resume or abort; the service's refusal (409 wrong state) as text, or null when done. */
    public String act(String id, RolloutAction action) {
        try {
            switch (action) {
                case PAUSE -> api.fleet().rollouts().pauseRollout(id);
                case RESUME -> api.fleet().rollouts().resumeRollout(id);
                case ABORT -> api.fleet().rollouts().abortRollout(id);
            }
            return null;
        } catch (ApiException e) {
            return refusal(e);
        }
    }

    /** Rolls a FAILED cluster of the rollout back; the refusal as text, or null when done. */
    public String rollBack(String id, String clusterId) {
        try {
            api.fleet().rollouts().rollBackRolloutCluster(id, clusterId);
            return null;
        } catch (ApiException e) {
            return refusal(e);
        }
    }

    private static String refusal(ApiException e) {
        if (e.getCode() != 400 && e.getCode() != 409) {
            throw Appliances.failed(Clusters.SERVICE, e);
        }
        return new Clusters.ActionResult(null, ServiceProblem.of(e)).message();
    }
}
