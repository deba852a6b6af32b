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
    private static final Duration LAG_WORTH_SAYING = Duration.ofSeconds(1);

    @Inject
    Outbox outbox;

    @Inject
    MeterRegistry metrics;

    @Inject
    JobLock jobs;

    @Inject
    ReportBacklog backlog;

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
        // silence counts up to the newest report applied, not up to now: what the gateways wrote since may still be
        // queued for us (a backlog of our own is no silent gateway; resending into it would only lengthen it)
        Duration lag = backlog.lag(interval);
        if (lag.compareTo(LAG_WORTH_SAYING) > 0) {
            LOG.debugf("the report consumer is %d ms behind: silence counts up to then", lag.toMillis());
        }
        Instant silentSince = now.minus(interval).minus(lag);
        return Panache.withTransaction(() -> GatewayCommand.<GatewayCommand>find(
                                "coalesce(lastHeardAt, sentAt) < ?1 and lastSentAt < ?1 order by lastSentAt",
                                silentSince)
                        .page(0, BATCH)
                        .list()
                        .chain(silent -> Multi.createFrom()
                                .iterable(silent)
                                .onItem()
                                .transformToUniAndConcatenate(c -> resend(c, now, silentSince))
                                .collect()
                                .asList()))
                .map(sent -> (int) sent.stream().filter(Boolean::booleanValue).count());
    }

    /**
     * Each change by statement, on the condition it was read under: the command may be closed by its result (or sent
     * again by another instance) between the read and here. Such a lost race is no failure: the command is left
     * alone, and the other resends of the tick still go (an entity update would fail the whole tick at its commit,
     * with an OptimisticLockException).
     */
    private Uni<Boolean> resend(GatewayCommand c, Instant now, Instant silentSince) {
        if (!c.deadline().isAfter(now)) {
            // given up by its sender: never deliver it now
            Instant lastWord = c.lastHeardAt == null ? c.sentAt : c.lastHeardAt;
            return GatewayCommand.delete(
                            "commandId = ?1 and lastSentAt = ?2 and coalesce(lastHeardAt, sentAt) <= ?3",
                            c.commandId,
                            c.lastSentAt,
                            lastWord)
                    .map(deleted -> {
                        if (deleted > 0) {
                            count("edgefleet.commands.expired", "Commands past their deadline without a result", c);
                        }
                        return false;
                    });
        }
        return GatewayCommand.update(
                        "lastSentAt = ?1, sends = sends + 1 where commandId = ?2 and lastSentAt = ?3"
                                + " and coalesce(lastHeardAt, sentAt) < ?4",
                        now,
                        c.commandId,
                        c.lastSentAt,
                        silentSince)
                .chain(updated -> {
                    if (updated == 0) {
                        LOG.debugf("command %s: heard of, answered or sent again meanwhile, not resent", c.commandId);
                        return Uni.createFrom().item(false);
                    }
                    count("edgefleet.commands.resent", "Commands sent again after their gateway stayed silent", c);
                    LOG.infof(
                            "command %s (%s) to appliance '%s': no word from its gateway since %s, sending it again"
                                    + " (send %d)",
                            c.commandId,
                            c.type,
                            c.applianceUid,
                            c.lastHeardAt == null ? c.sentAt : c.lastHeardAt,
                            c.sends + 1);
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
                });
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
