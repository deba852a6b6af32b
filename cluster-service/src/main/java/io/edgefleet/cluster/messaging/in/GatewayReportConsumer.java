package io.edgefleet.cluster.messaging.in;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.orchestration.ReportBatch;
import io.edgefleet.cluster.orchestration.ReportHandler;
import io.edgefleet.cluster.service.NodeConsoles;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeConsole;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.kit.messaging.GatewayReports;
import io.edgefleet.kit.messaging.InboundEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Consumes {@code gateway-reports}, a poll at a time: command progress and results, and node observations, which drive the
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

    @Inject
    ReportBatch batch;

    @Inject
    InboundEvents inbound;

    /**
     * A whole poll at once (batch consumption, see application.properties): one transaction for all its reports
     * ({@link ReportBatch}: each report's effect in poll order, the clusters locked once, in id order, progress that
     * adds nothing dropped). The guarantees are one report's: once each (inbox), only for commands sent to that
     * appliance, state and outbox in the same transaction; a report the database refuses fails the batch, which is
     * then taken one report at a time so that only that one is dead-lettered.
     */
    @Incoming("gateway-reports")
    public Uni<Void> onReports(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> polled = new ArrayList<>(records.count());
        records.forEach(polled::add);
        // each report read once: when it is checked, and kept for the batch
        Map<CloudEvent, ReportBatch.Report> read = new IdentityHashMap<>();
        return reports.handleBatch(
                CONSUMER,
                polled,
                event -> {
                    ReportBatch.Report report = reportOf(event);
                    if (report == null) {
                        return null;
                    }
                    read.put(event, report);
                    return report.effect();
                },
                events -> batch.apply(
                        events.stream().map(e -> traced(e, read.get(e))).toList()));
    }

    /** The report's effect in its own span, a child of the gateway's: the trace goes on to the commands it decides. */
    private ReportBatch.Report traced(CloudEvent event, ReportBatch.Report report) {
        return new ReportBatch.Report(
                report.type(),
                report.clusterId(),
                report.commandId(),
                report.step(),
                () -> inbound.traced(CONSUMER, Topics.GATEWAY_REPORTS, event, report.effect()));
    }

    /** The report's effect and what it is about, or null when it is not ours (registrations and heartbeats). */
    private ReportBatch.Report reportOf(CloudEvent event) {
        if (!TYPES.contains(event.type())) {
            return null;
        }
        String uid = event.subject();
        if (uid == null || uid.isBlank()) {
            throw new InvalidEventException("report without subject (the appliance uid)");
        }
        String tenant = event.tenant();
        return switch (event.type()) {
            case EventTypes.COMMAND_COMPLETED -> {
                CommandResult result = event.dataAs(CommandResult.class);
                if (result.commandId() == null || result.outcome() == null) {
                    throw new InvalidEventException("command result without commandId or outcome");
                }
                yield new ReportBatch.Report(
                        event.type(),
                        result.clusterId(),
                        result.commandId(),
                        null,
                        () -> handler.onResult(tenant, uid, result));
            }
            case EventTypes.NODE_CONSOLE -> {
                NodeConsole answer = event.dataAs(NodeConsole.class);
                if (answer.commandId() == null) {
                    throw new InvalidEventException("console answer without commandId");
                }
                yield new ReportBatch.Report(
                        event.type(), null, answer.commandId(), null, () -> consoles.onAnswer(tenant, uid, answer));
            }
            case EventTypes.COMMAND_PROGRESS -> {
                CommandProgress progress = event.dataAs(CommandProgress.class);
                yield new ReportBatch.Report(
                        event.type(),
                        progress.clusterId(),
                        progress.commandId(),
                        progress.step(),
                        () -> handler.onProgress(tenant, uid, progress));
            }
            default -> {
                NodeStatus status = event.dataAs(NodeStatus.class);
                yield new ReportBatch.Report(
                        event.type(), status.clusterId(), null, null, () -> handler.onObserved(tenant, uid, status));
            }
        };
    }
}
