package io.edgefleet.policy.messaging.out;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.OsPatchRequested;
import io.edgefleet.events.payload.PolicyKind;
import io.edgefleet.events.payload.PolicyRunSnapshot;
import io.edgefleet.events.payload.PolicySnapshot;
import io.edgefleet.events.payload.ScanCounts;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.kit.commands.GatewayCommands;
import io.edgefleet.kit.outbox.Outbox;
import io.edgefleet.policy.repository.Policy;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;

/**
 * Everything policy-service publishes, through the outbox in the caller's transaction: policy events
 * (key = policy id), run events (key = cluster id, so one cluster's runs stay in order) and commands to
 * gateways (key and subject = appliance uid, like cluster-service's node commands).
 */
@ApplicationScoped
public class PolicyEventPublisher {

    @Inject
    Outbox outbox;

    @Inject
    GatewayCommands commands;

    public Uni<Void> policy(Policy p, String eventType) {
        String osPatchMode = p.kind == PolicyKind.OS_PATCH && p.settings.patch() != null
                ? p.settings.patch().mode().name()
                : null;
        PolicySnapshot snapshot = new PolicySnapshot(
                p.id.toString(),
                p.name,
                p.kind,
                p.cron,
                p.timeZone,
                p.clusterIds(),
                p.nextRunAt,
                p.updatedAt,
                osPatchMode);
        return outbox.add(Topics.POLICY_EVENTS, p.id.toString(), eventType, p.id.toString(), p.tenant, snapshot)
                .replaceWithVoid();
    }

    public Uni<Void> run(Run r) {
        return run(r, EventTypes.POLICY_RUN_CHANGED);
    }

    public Uni<Void> run(Run r, String eventType) {
        boolean scanEnded = r.kind == RunKind.SCAN && r.finishedAt != null;
        return (scanEnded
                        ? RunNode.<RunNode>list("runId", r.id).map(PolicyEventPublisher::counts)
                        : Uni.createFrom().<ScanCounts>nullItem())
                .chain(counts -> run(r, eventType, counts));
    }

    private Uni<Void> run(Run r, String eventType, ScanCounts counts) {
        PolicyRunSnapshot snapshot = new PolicyRunSnapshot(
                r.id.toString(),
                r.kind.name(),
                r.policyId == null ? null : r.policyId.toString(),
                r.clusterId,
                r.trigger.name(),
                r.status.name(),
                r.reason,
                r.createdAt,
                r.finishedAt,
                r.requestId,
                counts);
        return outbox.add(Topics.POLICY_EVENTS, r.clusterId, eventType, r.id.toString(), r.tenant, snapshot)
                .replaceWithVoid();
    }

    /** A scan's checks by outcome over every node and scan kind (as {@code GET /v1/scans/{id}} counts them). */
    private static ScanCounts counts(List<RunNode> tasks) {
        long[] n = new long[4];
        tasks.stream()
                .filter(t -> t.output != null && t.output.findings() != null)
                .flatMap(t -> t.output.findings().stream())
                .filter(f -> f != null && f.status() != null)
                .forEach(f -> n[f.status().ordinal()]++);
        return new ScanCounts(
                n[TaskOutput.FindingStatus.PASS.ordinal()],
                n[TaskOutput.FindingStatus.FAIL.ordinal()],
                n[TaskOutput.FindingStatus.WARN.ordinal()],
                n[TaskOutput.FindingStatus.ERROR.ordinal()]);
    }

    /** An OS patch run of mode RELINK asks cluster-service for the newest OS release (key and subject = cluster id). */
    public Uni<Void> osPatchRequested(Run r) {
        OsPatchRequested request =
                new OsPatchRequested(r.id.toString(), r.policyId == null ? null : r.policyId.toString(), r.clusterId);
        return outbox.add(
                        Topics.POLICY_EVENTS,
                        r.clusterId,
                        EventTypes.OS_PATCH_REQUESTED,
                        r.clusterId,
                        r.tenant,
                        request)
                .replaceWithVoid();
    }

    /**
     * A task for one node's gateway; {@code timeout} is how long policy-service waits for a word about it, so it is the
     * command's deadline (never delivered later) and it is sent again while the gateway stays silent.
     */
    public Uni<Void> command(String tenant, String applianceUid, String commandType, NodeTask task, Duration timeout) {
        return commands.send(tenant, applianceUid, commandType, task.commandId(), task, timeout);
    }
}
