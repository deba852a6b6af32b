package io.edgefleet.profile.service;

import io.edgefleet.kit.scheduling.JobLock;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Syncs PACK and HELM registries on a schedule: every check interval it syncs those whose last sync is
 * older than the sync interval (or that were never synced, so a new registry fills within one check). One instance of
 * the service checks at a time ({@link JobLock}).
 */
@ApplicationScoped
public class RegistrySyncScheduler {

    private static final Logger LOG = Logger.getLogger(RegistrySyncScheduler.class);

    @Inject
    RegistrySync registries;

    @Inject
    JobLock jobs;

    @Scheduled(
            identity = "registry-sync",
            every = "${profile.registry.check-interval:30s}",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> syncDue() {
        return jobs.alone("registry-sync", () -> registries.syncDue())
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("scheduled registry sync failed (the next check retries): %s", e.getMessage());
                    return 0;
                })
                .replaceWithVoid();
    }
}
