package io.edgefleet.policy.messaging.in;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.kit.messaging.GatewayReports;
import io.edgefleet.policy.config.PolicyConfig;
import io.edgefleet.policy.service.RunEngine;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Takes the progress and results of policy-service's own commands from {@code gateway-reports} (matched by
 * commandId; node commands of cluster-service and heartbeats are ignored). A report counts only from the
 * appliance the command was sent to, in its tenant, as the broker verified them (kit GatewayReports). Idempotent (inbox).
 */
@ApplicationScoped
public class GatewayReportConsumer {

    static final String CONSUMER = "policy-service/gateway-reports";
    private static final Set<String> POLICY_COMMANDS =
            Set.of(EventTypes.SCAN_NODE, EventTypes.BACKUP_NODE, EventTypes.RESTORE_NODE, EventTypes.PATCH_NODE);

    @Inject
    RunEngine runs;

    @Inject
    GatewayReports reports;

    @Inject
    PolicyConfig config;

    @Incoming("gateway-reports")
    public Uni<Void> onReport(ConsumerRecord<String, byte[]> record) {
        return reports.handle(CONSUMER, record, this::effectOf);
    }

    /** What the report does here; null for reports that are not about a policy command. */
    private Supplier<Uni<Void>> effectOf(CloudEvent event) {
        String uid = event.subject();
        switch (event.type()) {
            case EventTypes.COMMAND_COMPLETED -> {
                CommandResult result = event.dataAs(CommandResult.class);
                if (!POLICY_COMMANDS.contains(result.commandType())) {
                    return null;
                }
                if (result.commandId() == null || result.outcome() == null || uid == null) {
                    throw new InvalidEventException("command result without commandId, outcome or appliance uid");
                }
                return () -> runs.onResult(event.tenant(), uid, result);
            }
            case EventTypes.COMMAND_PROGRESS -> {
                CommandProgress progress = event.dataAs(CommandProgress.class);
                if (!POLICY_COMMANDS.contains(progress.commandType()) || progress.commandId() == null || uid == null) {
                    return null;
                }
                return () -> runs.onProgress(event.tenant(), uid, progress);
            }
            default -> {
                return null;
            }
        }
    }
}
