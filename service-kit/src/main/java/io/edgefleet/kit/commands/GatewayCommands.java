package io.edgefleet.kit.commands;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.TraceContext;
import io.edgefleet.kit.outbox.Outbox;
import io.edgefleet.tracing.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * How a service sends a command to an appliance's gateway: through the outbox (same transaction as the decision),
 * keyed by the appliance uid, with a deadline, and kept open until the gateway answers it. Reports about it
 * ({@link #heard}, called for every command progress and result) keep it alive; a command silent for
 * {@code commands.resend-interval} is sent again by {@link CommandResender}. Nothing runs twice: the gateway runs a
 * commandId once and answers a repeat with the recorded result (or progress while it runs). See docs/edge-link.md,
 * "At-least-once across a broker crash".
 */
@ApplicationScoped
public class GatewayCommands {

    @Inject
    Outbox outbox;

    @Inject
    MeterRegistry metrics;

    /**
     * @param timeout how long after its last word from the gateway the caller gives up on the command: the command's
     *                deadline (it is never delivered later, the broker drops it)
     */
    public Uni<Void> send(
            String tenant, String applianceUid, String type, String commandId, Object payload, Duration timeout) {
        Instant now = Instant.now();
        GatewayCommand command = new GatewayCommand();
        command.commandId = commandId;
        command.tenant = tenant;
        command.applianceUid = applianceUid;
        command.type = type;
        command.payload = new String(EventJson.write(payload), StandardCharsets.UTF_8);
        command.timeoutSeconds = Math.max(1, timeout.toSeconds());
        command.sentAt = now;
        command.lastSentAt = now;
        command.sends = 1;
        TraceContext trace = Traces.current();
        if (trace != null) {
            command.traceparent = trace.traceparent();
            command.tracestate = trace.tracestate();
        }
        return Panache.getSession()
                .chain(s -> s.merge(command))
                .chain(() -> outbox.addJson(
                        Topics.GATEWAY_COMMANDS,
                        applianceUid,
                        type,
                        applianceUid,
                        tenant,
                        command.payload,
                        command.deadline()))
                .replaceWithVoid();
    }

    /**
     * A report arrived: if it is about a command (progress or result), the command was delivered and a result closes
     * it. Call inside the report's transaction.
     */
    public Uni<Void> heard(CloudEvent report) {
        String commandId = commandIdOf(report);
        if (commandId == null) {
            return Uni.createFrom().voidItem();
        }
        return heard(commandId, report.type());
    }

    Uni<Void> heard(String commandId, String reportType) {
        return GatewayCommand.<GatewayCommand>findById(commandId).chain(command -> {
            if (command == null) {
                return Uni.createFrom().voidItem(); // a repeated result, or a command of another service
            }
            Instant now = Instant.now();
            if (command.lastHeardAt == null) {
                record("edgefleet.commands.delivery", "From first send to the gateway's first word", command, now);
            }
            if (EventTypes.COMMAND_COMPLETED.equals(reportType)) {
                record("edgefleet.commands.round.trip", "From first send to the gateway's result", command, now);
                return command.delete();
            }
            // one column, not the whole row: the resender may be updating the same command right now
            return GatewayCommand.update("lastHeardAt = ?1 where commandId = ?2", now, commandId)
                    .replaceWithVoid();
        });
    }

    private void record(String name, String description, GatewayCommand command, Instant now) {
        Timer.builder(name)
                .description(description)
                .tags("type", command.type)
                .publishPercentileHistogram()
                .register(metrics)
                .record(Duration.between(command.sentAt, now));
    }

    private static String commandIdOf(CloudEvent report) {
        if (!EventTypes.COMMAND_PROGRESS.equals(report.type()) && !EventTypes.COMMAND_COMPLETED.equals(report.type())) {
            return null;
        }
        try {
            return EventJson.mapper().readTree(report.data()).path("commandId").asText(null);
        } catch (IOException e) {
            return null; // the consumer reports the malformed payload itself
        }
    }
}
