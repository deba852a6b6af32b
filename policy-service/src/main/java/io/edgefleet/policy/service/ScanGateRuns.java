package io.edgefleet.policy.service;

import io.edgefleet.events.payload.PolicyKind;
import io.edgefleet.events.payload.ScanRequested;
import io.edgefleet.policy.messaging.out.PolicyEventPublisher;
import io.edgefleet.policy.repository.Policy;
import io.edgefleet.policy.repository.PolicySettings;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunDetail;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunTrigger;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Scans a rollout's health gate asks for (cluster-service's {@code scan-requested}): the named SCAN policy run on the
 * cluster as an on-demand run carrying the request id, in the event's transaction. The policy need not be attached to
 * the cluster (the rollout names it). Every request gets an answer: a policy that is missing, another tenant's or not a
 * SCAN policy is a FAILED run with the reason; a cluster not RUNNING or busy with another run a SKIPPED one (as any
 * trigger). One run per request id: a resent request publishes the run it already has again.
 */
@ApplicationScoped
public class ScanGateRuns {

    @Inject
    RunEngine runs;

    @Inject
    PolicyEventPublisher events;

    public Uni<Void> onRequested(String tenant, ScanRequested request) {
        return Run.answering(request.requestId()).chain(existing -> {
            if (existing != null) {
                return existing.tenant.equals(tenant)
                        ? events.run(existing)
                        : Uni.createFrom().voidItem(); // another tenant's id: not ours to answer
            }
            UUID policyId = uuid(request.policyId());
            Uni<Policy> policy = policyId == null ? Uni.createFrom().nullItem() : Policy.findById(policyId);
            return policy.chain(p -> {
                        if (p == null || !p.tenant.equals(tenant)) {
                            return runs.refuse(
                                    request(tenant, request, null, null, emptyScan()),
                                    request.requestId(),
                                    "no policy " + request.policyId() + " of this tenant");
                        }
                        if (p.kind != PolicyKind.SCAN) {
                            return runs.refuse(
                                    request(tenant, request, p.id, p.name, emptyScan()),
                                    request.requestId(),
                                    "policy " + p.name + " is a " + p.kind + " policy, not SCAN");
                        }
                        return runs.start(
                                request(tenant, request, p.id, p.name, p.settings.scan()),
                                Map.of(),
                                request.requestId());
                    })
                    .replaceWithVoid();
        });
    }

    private static RunEngine.RunRequest request(
            String tenant, ScanRequested r, UUID policyId, String policyName, PolicySettings.Scan scan) {
        return new RunEngine.RunRequest(
                tenant,
                RunKind.SCAN,
                policyId,
                policyName,
                r.clusterId(),
                RunTrigger.ON_DEMAND,
                new RunDetail(scan, null, null, null),
                null);
    }

    /** A refused run's scan: nothing was checked. */
    private static PolicySettings.Scan emptyScan() {
        return new PolicySettings.Scan(List.of(), List.of());
    }

    private static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
