package io.edgefleet.console.runs;

import io.edgefleet.console.fleet.Appliances;
import io.edgefleet.console.fleet.FleetApi;
import io.edgefleet.console.fleet.ServiceCallFailed;
import io.edgefleet.console.fleet.ServiceProblem;
import io.edgefleet.console.policies.Policies;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.PageRunView;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.RestoreBackupRequest;
import io.edgefleet.sdk.model.RunPolicyRequest;
import io.edgefleet.sdk.model.RunView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Scans, backups and restores (policy-service's runs), read and started with the user's token. */
@ApplicationScoped
public class Runs {

    static final String SERVICE = Policies.SERVICE;
    /** A cluster's page and the scans page show this many of the newest runs. */
    public static final int SHOWN = 20;

    @Inject
    FleetApi api;

    @Inject
    Policies policies;

    /** What policy-service holds for one cluster: its newest scans, backups and restores, the policies to back it up. */
    public record ClusterRuns(
            List<RunView> scans,
            List<RunView> backups,
            List<RunView> restores,
            List<PolicyView> backupPolicies,
            String error) {

        static ClusterRuns failed(String error) {
            return new ClusterRuns(List.of(), List.of(), List.of(), List.of(), error);
        }
    }

    /** The cluster's runs; when policy-service does not answer, none and what went wrong (the cluster page stays). */
    public ClusterRuns forCluster(String clusterId) {
        try {
            return new ClusterRuns(
                    items(api.fleet().scans().listScans(clusterId, 0, SHOWN, null)),
                    items(api.fleet().backups().listBackups(clusterId, 0, SHOWN, null)),
                    items(api.fleet().restores().listRestores(clusterId, 0, SHOWN, null)),
                    BackupOffers.policiesFor(policies.list("BACKUP"), clusterId),
                    null);
        } catch (ApiException e) {
            return ClusterRuns.failed(Appliances.failed(SERVICE, e).getMessage());
        } catch (ServiceCallFailed e) {
            return ClusterRuns.failed(e.getMessage());
        }
    }

    /** The tenant's newest scans, of one cluster when {@code clusterId} is not blank. */
    public List<RunView> scans(String clusterId) {
        try {
            return items(api.fleet().scans().listScans(blankToNull(clusterId), 0, SHOWN, null));
        } catch (ApiException e) {
            throw Appliances.failed(SERVICE, e);
        }
    }

    /** The scan with every node's findings, or empty when the tenant has none with this id. */
    public Optional<RunView> scan(String id) {
        return get(id, uuid -> api.fleet().scans().getScan(uuid));
    }

    public Optional<RunView> backup(String id) {
        return get(id, uuid -> api.fleet().backups().getBackup(uuid));
    }

    public Optional<RunView> restore(String id) {
        return get(id, uuid -> api.fleet().restores().getRestore(uuid));
    }

    /** A scan's report as policy-service's CSV, to stream on; empty when the tenant has no such scan. */
    public Optional<InputStream> scanReportCsv(UUID scanId) {
        HttpResponse<InputStream> answer;
        try {
            answer = api.policyServiceDownload("/v1/scans/" + scanId + "/report?format=csv", "text/csv");
        } catch (IOException e) {
            throw new ServiceCallFailed(SERVICE, 0, SERVICE + " did not answer", e);
        }
        if (answer.statusCode() == 200) {
            return Optional.of(answer.body());
        }
        close(answer.body());
        if (answer.statusCode() == 404) {
            return Optional.empty();
        }
        throw new ServiceCallFailed(SERVICE, answer.statusCode(), SERVICE + " answered " + answer.statusCode(), null);
    }

    /** The outcome of starting a run: the run, or the service's refusal. */
    public record Started(RunView run, String refusal) {
        public boolean done() {
            return run != null;
        }
    }

    /** Backs {@code clusterId} up now by running BACKUP policy {@code policyId} on it. */
    public Started backUp(UUID policyId, String clusterId) {
        try {
            List<RunView> started =
                    api.fleet().policies().runPolicy(policyId, new RunPolicyRequest().clusterId(clusterId));
            return started == null || started.isEmpty()
                    ? new Started(null, "policy-service started no backup")
                    : new Started(started.get(0), null);
        } catch (ApiException e) {
            return refusedOrFailed(e);
        }
    }

    /** Restores {@code backupId} into {@code clusterId} (blank: the backup's own cluster). */
    public Started restore(UUID backupId, String clusterId) {
        try {
            return new Started(
                    api.fleet()
                            .restores()
                            .restoreBackup(new RestoreBackupRequest()
                                    .backupId(backupId)
                                    .clusterId(blankToNull(clusterId))),
                    null);
        } catch (ApiException e) {
            return refusedOrFailed(e);
        }
    }

    private static Started refusedOrFailed(ApiException e) {
        if (e.getCode() == 400 || e.getCode() == 404 || e.getCode() == 409) {
            ServiceProblem problem = ServiceProblem.of(e);
            String message = problem.detail() != null ? problem.detail() : "refused (" + e.getCode() + ")";
            if (!problem.fieldErrors().isEmpty()) {
                message = message + " — "
                        + String.join(
                                "; ",
                                problem.fieldErrors().entrySet().stream()
                                        .map(f -> f.getKey() + ": " + f.getValue())
                                        .toList());
            }
            return new Started(null, message);
        }
        throw Appliances.failed(SERVICE, e);
    }

    private interface Read {
        RunView read(UUID id) throws ApiException;
    }

    private static Optional<RunView> get(String id, Read read) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(read.read(uuid));
        } catch (ApiException e) {
            if (e.getCode() == 404 || e.getCode() == 400) {
                return Optional.empty(); // another tenant's run is a 404 too
            }
            throw Appliances.failed(SERVICE, e);
        }
    }

    private static List<RunView> items(PageRunView page) {
        return page == null || page.getItems() == null ? List.of() : page.getItems();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // nothing to pass on
        }
    }
}
