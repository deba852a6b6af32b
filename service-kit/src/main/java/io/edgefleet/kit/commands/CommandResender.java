package io.edgefleet.kit.commands;

import io.edgefleet.events.Topics;
import io.edgefleet.kit.outbox.Outbox;
import io.edgefleet.kit.scheduling.JobLock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sends a gateway command again when its gateway stayed silent about it for {@code commands.resend-interval}: the
 * MQTT broker acknowledges from memory, so a crash of it can lose a command already taken from Kafka, or the
 * gateway's answer. A command past its deadline is dropped here: its sender fails it on its own timeout. One instance
 * of the service resends at a time ({@link JobLock}), so a silent command is sent again once per interval.
 */
@ApplicationScoped
public class CommandResender {

    private static final Logger LOG = Logger.getLogger(CommandResender.class);
    private static final int BATCH = 200;

    @Inject
    Outbox outbox;

    @Inject
    MeterRegistry metrics;

    @Inject
    JobLock jobs;

    @ConfigProperty(name = "commands.resend-interval", defaultValue = "30s")
    Duration interval;

    @Scheduled(
            identity = "gateway-command-resend",
            every = "${commands.resend-check:5s}",
            delayed = "${commands.resend-check:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return jobs.alone("gateway-command-resend", this::resendSilent)
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("resending silent gateway commands failed (the next tick retries): %s", e.toString());
                    return 0;
                })
                .replaceWithVoid();
    }

    /** Returns how many commands were sent again. */
    public Uni<Integer> resendSilent() {
        Instant now = Instant.now();
        Instant silentSince = now.minus(interval);
        return Panache.withTransaction(() -> GatewayCommand.<GatewayCommand>find(
                                "coalesce(lastHeardAt, sentAt) < ?1 and lastSentAt < ?1 order by lastSentAt",
                                silentSince)
                        .page(0, BATCH)
                        .list()
                        .chain(silent -> Multi.createFrom()
                                .iterable(silent)
                                .onItem()
                                .transformToUniAndConcatenate(c -> resend(c, now))
                                .collect()
                                .asList()))
                .map(sent -> (int) sent.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> resend(GatewayCommand c, Instant now) {
        if (!c.deadline().isAfter(now)) {
            count("edgefleet.commands.expired", "Commands past their deadline without a result", c);
            return c.delete().replaceWith(false); // given up by its sender: never deliver it now
        }
        count("edgefleet.commands.resent", "Commands sent again after their gateway stayed silent", c);
        c.lastSentAt = now;
        c.sends++;
        LOG.infof(
                "command %s (%s) to appliance '%s': no word from its gateway since %s, sending it again (send %d)",
                c.commandId, c.type, c.applianceUid, c.lastHeardAt == null ? c.sentAt : c.lastHeardAt, c.sends);
        return outbox.addJson(
                        Topics.GATEWAY_COMMANDS,
                        c.applianceUid,
                        c.type,
                        c.applianceUid,
                        c.tenant,
                        c.payload,
                        c.deadline(),
                        c.trace()) // the trace it was first sent in (null for an older row: a new trace)
                .replaceWith(true);
    }

    private void count(String name, String description, GatewayCommand c) {
        Counter.builder(name)
                .description(description)
                .tags("type", c.type)
                .register(metrics)
                .increment();
    }

    /** Open commands, for tests and health: how many are waiting for their gateway. */
    public Uni<List<GatewayCommand>> open() {
        return Panache.withSession(() -> GatewayCommand.<GatewayCommand>listAll());
    }
}
