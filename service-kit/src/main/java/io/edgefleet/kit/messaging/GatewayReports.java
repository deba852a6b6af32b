package io.edgefleet.kit.messaging;

import io.edgefleet.kit.commands.GatewayCommands;
import io.edgefleet.kit.commands.ReportBacklog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * How every service takes a report from {@code gateway-reports}: as any event ({@link InboundEvents}: once, in the
 * transaction of its effect), and noting that the command it is about reached its gateway ({@link GatewayCommands#heard}).
 * <p>
 * The report's tenant and subject are trusted: only the edge bridge may write the topic (Kafka ACL), and the
 * bridge takes both from the MQTT topic the report arrived on, which the broker lets only the appliance with
 * that certificate write (see docs/edge-link.md).
 */
@ApplicationScoped
public class GatewayReports {

    @Inject
    InboundEvents inbound;

    @Inject
    InboundBatches batches;

    @Inject
    GatewayCommands commands;

    @Inject
    ReportBacklog backlog;

    public Uni<Void> handle(String consumer, ConsumerRecord<String, byte[]> record, InboundEvents.Handling handling) {
        return inbound.handle(consumer, record, event -> {
                    Supplier<Uni<Void>> effect = handling.of(event);
                    return effect == null ? null : () -> commands.heard(event).chain(effect::get);
                })
                .invoke(() -> backlog.applied(Instant.ofEpochMilli(record.timestamp())));
    }

    /** A whole poll of reports at once ({@link InboundBatches}), each noted as heard as by {@link #handle}. */
    public Uni<Void> handleBatch(
            String consumer,
            List<ConsumerRecord<String, byte[]>> records,
            InboundEvents.Handling handling,
            InboundBatches.BatchEffect batch) {
        long newest =
                records.stream().mapToLong(ConsumerRecord::timestamp).max().orElse(0);
        return batches.handle(
                        consumer,
                        records,
                        event -> {
                            Supplier<Uni<Void>> effect = handling.of(event);
                            return effect == null
                                    ? null
                                    : () -> commands.heard(event).chain(effect::get);
                        },
                        events -> commands.heardAll(events).chain(() -> batch.apply(events)))
                .invoke(() -> backlog.applied(Instant.ofEpochMilli(newest)));
    }
}
