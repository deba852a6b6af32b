package io.edgefleet.console.fleet;

import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.AuditEntry;
import io.edgefleet.sdk.model.PageAuditEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The tenant's latest changes across the four services, newest first, for the overview: their audit logs
 * ({@code GET /v1/audit}, every write a caller attempted and how it ended — the one record every service keeps of
 * who did what; tenant admins only). A service that does not answer is named, the others are still shown.
 */
@ApplicationScoped
public class RecentChanges {

    static final int SHOWN = 15;

    /** One write: which service, who, the operation and its path, the status answered, when. */
    public record Change(
            String service,
            String actor,
            String action,
            String method,
            String target,
            int status,
            String outcome,
            OffsetDateTime at) {

        static Change of(String service, AuditEntry e) {
            return new Change(
                    service,
                    e.getActor(),
                    e.getAction(),
                    e.getMethod(),
                    e.getTarget(),
                    e.getStatus() == null ? 0 : e.getStatus(),
                    e.getOutcome() == null ? "" : e.getOutcome().getValue(),
                    e.getOccurredAt());
        }
    }

    /** @param unanswered the services whose log could not be read */
    public record Read(List<Change> changes, List<String> unanswered) {}

    @FunctionalInterface
    interface AuditLog {
        PageAuditEntry latest(int size) throws ApiException;
    }

    @Inject
    FleetApi api;

    public Read read() {
        List<Change> all = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        collect(
                "appliance-service",
                size -> api.fleet().applianceAudit().listApplianceAudit(null, null, null, null, 0, size, null, null),
                all,
                unanswered);
        collect(
                "profile-service",
                size -> api.fleet().profileAudit().listProfileAudit(null, null, null, null, 0, size, null, null),
                all,
                unanswered);
        collect(
                "cluster-service",
                size -> api.fleet().clusterAudit().listClusterAudit(null, null, null, null, 0, size, null, null),
                all,
                unanswered);
        collect(
                "policy-service",
                size -> api.fleet().policyAudit().listPolicyAudit(null, null, null, null, 0, size, null, null),
                all,
                unanswered);
        return new Read(newest(all, SHOWN), List.copyOf(unanswered));
    }

    private static void collect(String service, AuditLog log, List<Change> into, List<String> unanswered) {
        try {
            PageAuditEntry page = log.latest(SHOWN);
            if (page.getItems() != null) {
                page.getItems().forEach(e -> into.add(Change.of(service, e)));
            }
        } catch (ApiException | RuntimeException e) { // a service down or refusing: the others still count
            unanswered.add(service);
        }
    }

    /** The {@code n} newest of the services' latest changes (each log is newest first; together they are not). */
    static List<Change> newest(List<Change> changes, int n) {
        return changes.stream()
                .sorted(Comparator.comparing(
                        Change::at, Comparator.nullsLast(Comparator.<OffsetDateTime>reverseOrder())))
                .limit(n)
                .toList();
    }
}
