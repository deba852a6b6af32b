package io.edgefleet.appliance.messaging.in;

import io.edgefleet.appliance.service.ApplianceService;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.payload.GatewayReport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.edgefleet.kit.security.GatewayReports;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;

/**
 * Consumes {@code gateway-reports}: registrations and heartbeats pair appliances and keep them
 * READY. Idempotent: each event id is handled once (inbox, same transaction as the change).
 */
@ApplicationScoped
public class GatewayReportConsumer {

    static final String CONSUMER = "appliance-service/gateway-reports";
    private static final Logger LOG = Logger.getLogger(GatewayReportConsumer.class);
    private static final Set<String> REPORT_TYPES = Set.of(EventTypes.GATEWAY_REGISTERED, EventTypes.GATEWAY_HEARTBEAT);

    @Inject
    ApplianceService appliances;
    @Inject
    GatewayReports reports;
    @ConfigProperty(name = "appliance.reports.retry-for", defaultValue = "PT5M")
    Duration retryFor;

    @Incoming("gateway-reports")
    public Uni<Void> onReport(ConsumerRecord<String, byte[]> record) {
        CloudEvent event;
        GatewayReport report;
        try {
            event = KafkaCloudEvents.fromRecord(record);
            if (!REPORT_TYPES.contains(event.type())) {
                return Uni.createFrom().voidItem(); // other gateway reports (node status, ...) are not ours
            }
            report = event.dataAs(GatewayReport.class);
            checkShape(event, report);
        } catch (InvalidEventException e) {
            LOG.warnf("skipping malformed gateway report at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        // a failure is retried, then this one report is given up (every later heartbeat carries the full state again)
        return reports.applyOnce(CONSUMER, event, () -> appliances.applyReport(event.tenant(), report, event.time()), retryFor);
    }

    private static void checkShape(CloudEvent event, GatewayReport report) {
        if (report.uid() == null || report.uid().isBlank() || !report.uid().equals(event.subject())) {
            throw new InvalidEventException("report uid '" + report.uid() + "' does not match subject '" + event.subject() + "'");
        }
        if (report.kind() == null) {
            throw new InvalidEventException("report without appliance kind");
        }
    }
}
