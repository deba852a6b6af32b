package io.edgefleet.cluster.messaging.in;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.orchestration.ReportHandler;
import io.edgefleet.cluster.service.NodeConsoles;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeConsole;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.kit.messaging.GatewayReports;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Consumes {@code gateway-reports}: command progress and results, and node observations, which drive the
 * orchestration; console answers, which meet their waiting reads ({@link NodeConsoles}). Registrations and heartbeats are appliance-service's. A report's tenant and appliance are
 * the ones the broker verified (kit GatewayReports), and it counts only for commands sent to that appliance. Idempotent:
 * each event id is handled once (inbox, in the same transaction as its effect).
 */
@ApplicationScoped
public class GatewayReportConsumer {

    static final String CONSUMER = "cluster-service/gateway-reports";
    private static final Set<String> TYPES = Set.of(
            EventTypes.COMMAND_PROGRESS,
            EventTypes.COMMAND_COMPLETED,
            EventTypes.NODE_OBSERVED,
            EventTypes.NODE_CONSOLE);

    @Inject
    ReportHandler handler;

    @Inject
    GatewayReports reports;

    @Inject
    NodeConsoles consoles;

    @Inject
    ClusterConfig config;

    @Incoming("gateway-reports")
    public Uni<Void> onReport(ConsumerRecord<String, byte[]> record) {
        return reports.handle(CONSUMER, record, this::effectOf);
    }

    private Supplier<Uni<Void>> effectOf(CloudEvent event) {
        if (!TYPES.contains(event.type())) {
            return null; // registrations and heartbeats
        }
        String uid = event.subject();
        if (uid == null || uid.isBlank()) {
            throw new InvalidEventException("report without subject (the appliance uid)");
        }
        return switch (event.type()) {
            case EventTypes.COMMAND_COMPLETED -> {
                CommandResult result = event.dataAs(CommandResult.class);
                if (result.commandId() == null || result.outcome() == null) {
                    throw new InvalidEventException("command result without commandId or outcome");
                }
                yield () -> handler.onResult(event.tenant(), uid, result);
            }
            case EventTypes.NODE_CONSOLE -> {
                NodeConsole answer = event.dataAs(NodeConsole.class);
                if (answer.commandId() == null) {
                    throw new InvalidEventException("console answer without commandId");
                }
                yield () -> consoles.onAnswer(event.tenant(), uid, answer);
            }
            case EventTypes.COMMAND_PROGRESS -> {
                CommandProgress progress = event.dataAs(CommandProgress.class);
                yield () -> handler.onProgress(event.tenant(), uid, progress);
            }
            default -> {
                NodeStatus status = event.dataAs(NodeStatus.class);
                yield () -> handler.onObserved(event.tenant(), uid, status);
            }
        };
    }
}
