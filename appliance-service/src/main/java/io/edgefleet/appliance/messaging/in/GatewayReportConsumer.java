package io.edgefleet.appliance.messaging.in;

import io.edgefleet.appliance.service.ApplianceService;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.kit.messaging.GatewayReports;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Consumes {@code gateway-reports}: registrations and heartbeats pair appliances and keep them
 * READY. Idempotent: each event id is handled once (inbox, same transaction as the change).
 */
@ApplicationScoped
public class GatewayReportConsumer {

    static final String CONSUMER = "appliance-service/gateway-reports";
    private static final Set<String> REPORT_TYPES = Set.of(EventTypes.GATEWAY_REGISTERED, EventTypes.GATEWAY_HEARTBEAT);

    @Inject
    ApplianceService appliances;

    @Inject
    GatewayReports reports;

    @Incoming("gateway-reports")
    public Uni<Void> onReport(ConsumerRecord<String, byte[]> record) {
        // a failure is retried, then this one report is given up (every later heartbeat carries the full state again)
        return reports.handle(CONSUMER, record, this::effectOf);
    }

    private Supplier<Uni<Void>> effectOf(CloudEvent event) {
        if (!REPORT_TYPES.contains(event.type())) {
            return null; // other gateway reports (node status, ...) are not ours
        }
        GatewayReport report = event.dataAs(GatewayReport.class);
        checkShape(event, report);
        return () -> appliances.applyReport(event.tenant(), report, event.time());
    }

    private static void checkShape(CloudEvent event, GatewayReport report) {
        if (report.uid() == null || report.uid().isBlank() || !report.uid().equals(event.subject())) {
            throw new InvalidEventException(
                    "report uid '" + report.uid() + "' does not match subject '" + event.subject() + "'");
        }
        if (report.kind() == null) {
            throw new InvalidEventException("report without appliance kind");
        }
    }
}
