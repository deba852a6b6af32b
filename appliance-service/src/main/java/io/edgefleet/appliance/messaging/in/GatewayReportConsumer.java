package io.edgefleet.appliance.messaging.in;

import io.edgefleet.appliance.link.EdgeLinkStatus;
import io.edgefleet.appliance.service.ApplianceService;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.payload.BridgeLink;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.kit.messaging.GatewayReports;
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
import java.util.function.Supplier;

/**
 * Consumes {@code gateway-reports}: registrations and heartbeats pair appliances and keep them
 * READY; the edge bridges' link statuses are recorded for the heartbeat sweep ({@link EdgeLinkStatus}). Idempotent:
 * each event id is handled once (inbox, same transaction as the change).
 */
@ApplicationScoped
public class GatewayReportConsumer {

    static final String CONSUMER = "appliance-service/gateway-reports";
    private static final Set<String> REPORT_TYPES = Set.of(EventTypes.GATEWAY_REGISTERED, EventTypes.GATEWAY_HEARTBEAT);

    @Inject
    ApplianceService appliances;

    @Inject
    EdgeLinkStatus link;

    @Inject
    GatewayReports reports;

    /**
     * A whole poll at once (batch consumption, see application.properties): one transaction for all its reports, and
     * one statement for all the heartbeats that change nothing but when an appliance was seen.
     */
    @Incoming("gateway-reports")
    public Uni<Void> onReports(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> polled = new ArrayList<>(records.count());
        records.forEach(polled::add);
        // each report's payload read once: when it is checked, and kept for the batch (the hot path of a fleet)
        Map<CloudEvent, GatewayReport> read = new IdentityHashMap<>();
        return reports.handleBatch(CONSUMER, polled, event -> effectOf(event, read), events -> {
            List<BridgeLink> links = new ArrayList<>();
            List<ApplianceService.IncomingReport> gateways = new ArrayList<>();
            for (CloudEvent event : events) {
                if (event.type().equals(EventTypes.BRIDGE_LINK)) {
                    links.add(bridgeLink(event));
                } else {
                    gateways.add(new ApplianceService.IncomingReport(
                            event.tenant(), read.computeIfAbsent(event, GatewayReportConsumer::report), event.time()));
                }
            }
            return link.record(links).chain(() -> appliances.applyReports(gateways));
        });
    }

    private Supplier<Uni<Void>> effectOf(CloudEvent event, Map<CloudEvent, GatewayReport> read) {
        if (event.type().equals(EventTypes.BRIDGE_LINK)) {
            BridgeLink status = bridgeLink(event);
            return () -> link.record(List.of(status));
        }
        if (!REPORT_TYPES.contains(event.type())) {
            return null; // other gateway reports (node status, ...) are not ours
        }
        GatewayReport report = report(event);
        checkShape(event, report);
        read.put(event, report);
        return () -> appliances.applyReport(event.tenant(), report, event.time());
    }

    /** A bridge's link status, checked: the bridge it is about is the event's subject; both times are there. */
    private static BridgeLink bridgeLink(CloudEvent event) {
        BridgeLink status = event.dataAs(BridgeLink.class);
        if (status.bridgeId() == null
                || status.bridgeId().isBlank()
                || !status.bridgeId().equals(event.subject())) {
            throw new InvalidEventException("link status of bridge '" + status.bridgeId() + "' does not match subject '"
                    + event.subject() + "'");
        }
        if (status.since() == null || status.sentAt() == null) {
            throw new InvalidEventException("link status without since or sentAt");
        }
        return status;
    }

    private static GatewayReport report(CloudEvent event) {
        return event.dataAs(GatewayReport.class);
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
