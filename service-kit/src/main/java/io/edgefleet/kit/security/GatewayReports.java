package io.edgefleet.kit.security;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.kit.commands.GatewayCommands;
import io.edgefleet.kit.outbox.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * How every service takes a report from {@code gateway-reports}: once (inbox, in the transaction of its effect), and
 * noting that the command it is about reached its gateway ({@link GatewayCommands#heard}).
 * <p>
 * The report's tenant and subject are trusted: only the edge bridge may write the topic (Kafka ACL), and the
 * bridge takes both from the MQTT topic the report arrived on, which the broker lets only the appliance with
 * that certificate write (see docs/edge-link.md).
 */
@ApplicationScoped
public class GatewayReports {

    @Inject
    ProcessedEvents processed;
    @Inject
    GatewayCommands commands;

    /** @param retryFor how long a failing effect (database away, lock conflict) is retried before the report is given up */
    public Uni<Void> applyOnce(String consumer, CloudEvent event, Supplier<Uni<Void>> effect, Duration retryFor) {
        return processed.applyOnce(consumer, event.id(), () -> commands.heard(event).chain(effect::get), retryFor,
                () -> "report " + event.id() + " (" + event.type() + ") from appliance '" + event.subject() + "'");
    }
}
