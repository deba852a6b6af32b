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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
                // by statement, not by entity: a resender that dropped it as expired meanwhile is no conflict
                return GatewayCommand.delete("commandId", commandId).replaceWithVoid();
            }
            // one column, not the whole row: the resender may be updating the same command right now
            return GatewayCommand.update("lastHeardAt = ?1 where commandId = ?2", now, commandId)
                    .replaceWithVoid();
        });
    }

    /**
     * {@link #heard(CloudEvent)} for a batch of reports, in three statements whatever its size: the open commands
     * they are about read at once, those with a result closed, the others' last word set. Call inside the batch's
     * transaction.
     */
    public Uni<Void> heardAll(List<CloudEvent> reports) {
        Map<String, String> lastType = new LinkedHashMap<>(); // a result wins over progress in the same batch
        for (CloudEvent report : reports) {
            String commandId = commandIdOf(report);
            if (commandId != null && !EventTypes.COMMAND_COMPLETED.equals(lastType.get(commandId))) {
                lastType.put(commandId, report.type());
            }
        }
        if (lastType.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return GatewayCommand.<GatewayCommand>list("commandId in ?1", List.copyOf(lastType.keySet()))
                .chain(open -> {
                    Instant now = Instant.now();
                    List<String> closed = new ArrayList<>();
                    List<String> alive = new ArrayList<>();
                    for (GatewayCommand command : open) {
                        if (command.lastHeardAt == null) {
                            record(
                                    "edgefleet.commands.delivery",
                                    "From first send to the gateway's first word",
                                    command,
                                    now);
                        }
                        if (EventTypes.COMMAND_COMPLETED.equals(lastType.get(command.commandId))) {
                            record(
                                    "edgefleet.commands.round.trip",
                                    "From first send to the gateway's result",
                                    command,
                                    now);
                            closed.add(command.commandId);
                        } else {
                            alive.add(command.commandId);
                        }
                    }
                    Uni<Void> deleted = closed.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : GatewayCommand.delete("commandId in ?1", closed).replaceWithVoid();
                    return deleted.chain(() -> alive.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : GatewayCommand.update("lastHeardAt = ?1 where commandId in ?2", now, alive)
                                    .replaceWithVoid());
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
