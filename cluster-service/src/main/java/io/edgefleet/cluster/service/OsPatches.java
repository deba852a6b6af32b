package io.edgefleet.cluster.service;

import io.edgefleet.cluster.messaging.out.OsPatchReplyPublisher;
import io.edgefleet.cluster.orchestration.Orchestrator;
import io.edgefleet.cluster.orchestration.ProvisioningTasks;
import io.edgefleet.cluster.repository.AppliedProfiles;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.OsPatchUnderway;
import io.edgefleet.cluster.repository.ProfileCopy;
import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.cluster.repository.TaskStatus;
import io.edgefleet.cluster.rollout.ProfileChange;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.OsPatchFinished;
import io.edgefleet.events.payload.OsPatchRequested;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileRelinked;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * OS patching by re-link. A cluster with an OS patch schedule ({@link OsPatchWindows}) does not roll when its OS
 * layer is re-linked: the newest profile copy is kept as pending, and the schedule's run (os-patch-requested)
 * applies it like a re-link would; the answer (os-patch-finished) goes out when the roll ends
 * ({@link OsPatchReplyPublisher#onStatus}). Every method runs in the caller's transaction with the cluster row locked.
 */
@ApplicationScoped
public class OsPatches {

    private static final Logger LOG = Logger.getLogger(OsPatches.class);

    @Inject
    OsPatchWindows windows;

    @Inject
    Orchestrator orchestrator;

    @Inject
    ProvisioningTasks tasks;

    @Inject
    OsPatchReplyPublisher replies;

    /** Whether the cluster has an OS patch window holding OS releases for its schedule. */
    public Uni<Boolean> scheduleHolds(Cluster cluster) {
        return windows.held(cluster.id);
    }

    /**
     * The cluster's own profile changed (a layer re-linked, or its layers updated). Without a window everything
     * applies now (the newest copy has the newest OS too, so nothing stays pending). With one, the newest copy waits as pending; a change of
     * the OS alone rolls nothing now, one of other layers rolls them on top of the OS release the cluster runs.
     *
     * @return the copy to apply and roll now; null when nothing rolls now
     */
    public Uni<ProfileCopy> admit(Cluster cluster, ProfileCopy relinked, ProfileChange change) {
        return windows.held(cluster.id).chain(held -> {
            Optional<ProfileLayer> runningOs = cluster.profiles.profile().layer(PackLayer.OS);
            if (!held || runningOs.isEmpty() || sameRelease(relinked.layer(PackLayer.OS), runningOs)) {
                cluster.pendingProfile = null;
                return Uni.createFrom().item(relinked);
            }
            cluster.pendingProfile = relinked;
            if (change.rollsBeyondOs(cluster.profiles.profile().layers(), relinked.layers())) {
                return Uni.createFrom().item(relinked.withLayer(PackLayer.OS, runningOs.get()));
            }
            cluster.updatedAt = Instant.now();
            ProfileRelinked relink = change.relink();
            String message = relink != null
                    ? "OS layer " + relink.packName() + " " + relink.oldVersion() + " → " + relink.newVersion()
                            + " (train " + relink.train() + ", profile " + relink.profileName() + " "
                            + relink.profileVersion() + ") waits for the OS patch schedule"
                    : "OS layer " + runningOs.get().name() + " "
                            + runningOs.get().resolvedVersion() + " → "
                            + relinked.layer(PackLayer.OS)
                                    .map(ProfileLayer::resolvedVersion)
                                    .orElse("?") + " ("
                            + change.summary() + ") waits for the OS patch schedule";
            LOG.infof("cluster %s: %s", cluster.id, message);
            return tasks.record(cluster, ProvisioningTask.CHANGE, TaskStatus.SUCCEEDED, message, Instant.now())
                    .replaceWith((ProfileCopy) null);
        });
    }

    /** An OS patch run asks for the newest OS release: apply the pending copy and roll, or answer at once. */
    public Uni<Void> request(String tenant, OsPatchRequested request) {
        return Cluster.lock(request.clusterId()).chain(cluster -> {
            if (cluster == null || !cluster.tenant.equals(tenant) || cluster.status == ClusterStatus.DELETED) {
                // answered in the requester's tenant: nothing about another tenant's cluster is told
                return replies.finished(
                        tenant,
                        request.clusterId(),
                        request.runId(),
                        OsPatchFinished.Outcome.FAILED,
                        "cluster " + request.clusterId() + " is not known",
                        null,
                        null);
            }
            if (cluster.osPatch != null && cluster.osPatch.runId().equals(request.runId())) {
                return Uni.createFrom().voidItem(); // the same run asked again: its answer comes when the roll ends
            }
            if (cluster.status != ClusterStatus.RUNNING) {
                return replies.finished(
                        cluster,
                        request.runId(),
                        OsPatchFinished.Outcome.FAILED,
                        "cluster " + cluster.id + " is " + cluster.status + ", not RUNNING",
                        null,
                        null);
            }
            ProfileLayer os = cluster.profiles.profile().layer(PackLayer.OS).orElse(null);
            if (os == null) {
                return replies.finished(
                        cluster,
                        request.runId(),
                        OsPatchFinished.Outcome.FAILED,
                        "profile " + cluster.profiles.profile().name() + " has no OS layer",
                        null,
                        null);
            }
            ProfileLayer pendingOs = cluster.pendingProfile == null
                    ? null
                    : cluster.pendingProfile.layer(PackLayer.OS).orElse(null);
            if (pendingOs == null) {
                cluster.pendingProfile = null;
                return replies.finished(
                        cluster,
                        request.runId(),
                        OsPatchFinished.Outcome.SUCCEEDED,
                        "already on the newest release " + os.resolvedVersion() + " of train " + os.version(),
                        os.resolvedVersion(),
                        os.resolvedVersion());
            }
            OsPatchUnderway patch = new OsPatchUnderway(
                    request.runId(), os.resolvedVersion(), pendingOs.resolvedVersion(), pendingOs.version());
            String message = "OS patch run " + request.runId() + ": OS layer " + pendingOs.name() + " "
                    + patch.fromVersion() + " → " + patch.toVersion() + " (train " + patch.train() + ")";
            return applyPending(cluster, message).chain(() -> {
                if (cluster.status == ClusterStatus.RUNNING) { // nothing to roll: the nodes already match
                    return replies.finished(
                            cluster,
                            patch.runId(),
                            OsPatchFinished.Outcome.SUCCEEDED,
                            "OS release " + patch.toVersion() + " applied; no node needed a change",
                            patch.fromVersion(),
                            patch.toVersion());
                }
                cluster.osPatch = patch; // answered by OsPatchReplyPublisher.onStatus when the roll ends
                return Uni.createFrom().voidItem();
            });
        });
    }

    /**
     * Clusters that lost a policy's window: one with no window left takes its pending OS release now, as a
     * re-link without a schedule would have.
     */
    public Uni<Void> windowsClosed(List<String> clusterIds) {
        return Multi.createFrom()
                .iterable(clusterIds)
                .onItem()
                .transformToUniAndConcatenate(id -> windows.held(id)
                        .chain(held -> held
                                ? Uni.createFrom().voidItem()
                                : Cluster.lock(id).chain(cluster -> {
                                    if (cluster == null
                                            || cluster.pendingProfile == null
                                            || cluster.status == ClusterStatus.DELETING
                                            || cluster.status == ClusterStatus.DELETED) {
                                        return Uni.createFrom().voidItem();
                                    }
                                    String to = cluster.pendingProfile
                                            .layer(PackLayer.OS)
                                            .map(ProfileLayer::resolvedVersion)
                                            .orElse("?");
                                    return applyPending(
                                            cluster,
                                            "no OS patch schedule any more: the waiting OS release " + to
                                                    + " applies now");
                                })))
                .collect()
                .asList()
                .replaceWithVoid();
    }

    /** The pending copy becomes the cluster's profile; a RUNNING cluster starts rolling (UPDATING). */
    private Uni<Void> applyPending(Cluster cluster, String message) {
        AppliedProfiles applied = cluster.profiles;
        cluster.profiles = new AppliedProfiles(cluster.pendingProfile, applied.addons());
        cluster.pendingProfile = null;
        cluster.updatedAt = Instant.now();
        LOG.infof("cluster %s: %s", cluster.id, message);
        return tasks.record(cluster, ProvisioningTask.CHANGE, TaskStatus.SUCCEEDED, message, Instant.now())
                .chain(() -> orchestrator.reconcile(cluster));
    }

    private static boolean sameRelease(Optional<ProfileLayer> a, Optional<ProfileLayer> b) {
        return a.isPresent()
                && b.isPresent()
                && Objects.equals(a.get().resolvedVersion(), b.get().resolvedVersion())
                && Objects.equals(a.get().mergedValues(), b.get().mergedValues());
    }
}
