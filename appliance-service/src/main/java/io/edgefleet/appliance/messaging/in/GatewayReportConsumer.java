package io.edgefleet.appliance.messaging.in;

import io.edgefleet.appliance.link.EdgeLinkStatus;
import io.edgefleet.appliance.link.LinkLoss;
import io.edgefleet.appliance.service.ApplianceService;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.payload.BridgeLink;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.LinkLost;
import io.edgefleet.kit.messaging.GatewayReports;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Consumes {@code gateway-reports}: registrations and heartbeats pair appliances and keep them
 * READY; a gateway's link-lost will is recorded for the heartbeat sweep ({@link LinkLoss}). Idempotent: each event id is handled once (inbox, same transaction as the change). The edge bridges' link
 * statuses on the same topic are recorded for the heartbeat sweep ({@link EdgeLinkStatus}) before, and apart from, the
 * reports.
 */
@ApplicationScoped
public class GatewayReportConsumer {

    static final String CONSUMER = "appliance-service/gateway-reports";
    private static final Logger LOG = Logger.getLogger(GatewayReportConsumer.class);
    private static final Set<String> REPORT_TYPES =
            Set.of(EventTypes.GATEWAY_REGISTERED, EventTypes.GATEWAY_HEARTBEAT, EventTypes.GATEWAY_LINK_LOST);

    @Inject
    ApplianceService appliances;

    @Inject
    EdgeLinkStatus link;

    @Inject
    GatewayReports reports;

    @Inject
    MeterRegistry metrics;

    /**
     * A whole poll at once (batch consumption, see application.properties): one transaction for all its reports, and
     * one statement for all the heartbeats that change nothing but when an appliance was seen. The bridges' link
     * statuses are taken out first ({@link #recordLinks}): they are not reports, so not in the reports' counters.
     */
    @Incoming("gateway-reports")
    public Uni<Void> onReports(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> polled = new ArrayList<>(records.count());
        List<ConsumerRecord<String, byte[]>> links = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            (isBridgeLink(record) ? links : polled).add(record);
        }
        Uni<Void> linksRecorded = links.isEmpty() ? Uni.createFrom().voidItem() : recordLinks(links);
        if (polled.isEmpty()) {
            return linksRecorded;
        }
        // each report's payload read once: when it is checked, and kept for the batch (the hot path of a fleet)
        Map<CloudEvent, GatewayReport> read = new IdentityHashMap<>();
        Map<String, Instant> willsRelayedAt = willsRelayedAt(polled);
        return linksRecorded.chain(() ->
                reports.handleBatch(CONSUMER, polled, event -> effectOf(event, read, willsRelayedAt), events -> {
                    // in poll order (an appliance's events in offset order): a will that a later connection's report
                    // overtook is dropped, the others are recorded after the reports: each ends as its newest says
                    List<CloudEvent> kept = LinkLoss.withoutOvertakenWills(
                            events,
                            event -> event.tenant() + '/' + event.subject(),
                            GatewayReportConsumer::isWill,
                            (later, will) -> LinkLoss.overtakes(
                                    read.computeIfAbsent(later, GatewayReportConsumer::report)
                                            .connectedAt(),
                                    linkLost(will).connectedAt()));
                    List<CloudEvent> wills =
                            kept.stream().filter(GatewayReportConsumer::isWill).toList();
                    return appliances
                            .applyReports(kept.stream()
                                    .filter(event -> !isWill(event))
                                    .map(event -> new ApplianceService.IncomingReport(
                                            event.tenant(),
                                            read.computeIfAbsent(event, GatewayReportConsumer::report),
                                            event.time()))
                                    .toList())
                            .chain(() -> applyWills(wills, willsRelayedAt));
                }));
    }

    private static boolean isWill(CloudEvent event) {
        return EventTypes.GATEWAY_LINK_LOST.equals(event.type());
    }

    /**
     * When the bridge relayed each will of a poll, by event id: its Kafka record's timestamp (the producer's send time,
     * the bridge sets none of its own; a will held while Kafka was away: when it got through). The will's own time is
     * no help: the gateway wrote it when it connected.
     */
    private static Map<String, Instant> willsRelayedAt(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Instant> relayedAt = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String id = KafkaCloudEvents.get(record.headers(), KafkaCloudEvents.ID);
            if (EventTypes.GATEWAY_LINK_LOST.equals(KafkaCloudEvents.get(record.headers(), KafkaCloudEvents.TYPE))
                    && id != null
                    && record.timestamp() > 0) {
                relayedAt.putIfAbsent(id, Instant.ofEpochMilli(record.timestamp())); // a redelivery: the first send
            }
        }
        return relayedAt;
    }

    /** Records the standing wills of a poll, one at a time (the sweep decides, see LinkLoss). */
    private Uni<Void> applyWills(List<CloudEvent> wills, Map<String, Instant> relayedAt) {
        if (wills.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom()
                .iterable(wills) // one session: one statement at a time
                .onItem()
                .transformToUniAndConcatenate(will -> applyWill(will, relayedAt.get(will.id())))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> applyWill(CloudEvent will, Instant relayedAt) {
        return appliances
                .recordLinkLost(will.tenant(), linkLost(will), relayedAt)
                .invoke(outcome -> Counter.builder("edgefleet.appliance.link.lost")
                        .description("Link-lost wills of gateways taken, by what they did")
                        .tag("outcome", outcome.name().toLowerCase())
                        .register(metrics)
                        .increment())
                .replaceWithVoid();
    }

    private static boolean isBridgeLink(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(KafkaCloudEvents.TYPE);
        return type != null && EventTypes.BRIDGE_LINK.equals(new String(type.value(), StandardCharsets.UTF_8));
    }

    /**
     * Records the bridges' link statuses of a poll, outside the inbox and the reports' counters: a status is idempotent
     * by itself (the newest by the bridge's sentAt wins) and the next one follows within seconds, so one that cannot
     * be read or recorded is logged and dropped — never dead-lettered, never holding the reports back.
     */
    private Uni<Void> recordLinks(List<ConsumerRecord<String, byte[]>> records) {
        List<BridgeLink> statuses = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                statuses.add(bridgeLink(KafkaCloudEvents.fromRecord(record)));
            } catch (InvalidEventException | IllegalArgumentException e) {
                LOG.warnf(
                        "a bridge link status at %s-%d@%d is dropped: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
        if (statuses.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> link.record(statuses)).onFailure().recoverWithItem(e -> {
            LOG.warnf("%d bridge link statuses not recorded (the next ones follow): %s", statuses.size(), e);
            return null;
        });
    }

    private Supplier<Uni<Void>> effectOf(
            CloudEvent event, Map<CloudEvent, GatewayReport> read, Map<String, Instant> willsRelayedAt) {
        if (!REPORT_TYPES.contains(event.type())) {
            return null; // other gateway reports (node status, ...) are not ours
        }
        if (isWill(event)) {
            linkLost(event); // checked now: a malformed will goes to the dead letters
            return () -> applyWill(event, willsRelayedAt.get(event.id()));
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

    /** A will's payload, checked: about the event's subject, with the connection's start. */
    private static LinkLost linkLost(CloudEvent event) {
        LinkLost lost = event.dataAs(LinkLost.class);
        if (lost.uid() == null || !lost.uid().equals(event.subject())) {
            throw new InvalidEventException(
                    "link-lost uid '" + lost.uid() + "' does not match subject '" + event.subject() + "'");
        }
        if (lost.connectedAt() == null) {
            throw new InvalidEventException("link-lost without connectedAt");
        }
        return lost;
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
