package io.edgefleet.appliance.service;

import io.edgefleet.appliance.certificates.CertificateRepository;
import io.edgefleet.appliance.certificates.RevocationReason;
import io.edgefleet.appliance.config.ApplianceConfig;
import io.edgefleet.appliance.deletion.DeletedAppliance;
import io.edgefleet.appliance.link.LinkLoss;
import io.edgefleet.appliance.repository.Appliance;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.LinkLost;
import io.edgefleet.events.payload.UnreachableReason;
import io.edgefleet.kit.outbox.Outbox;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The appliance lifecycle. Every state change and its event on {@code appliance-events} are
 * written in one transaction (through the outbox).
 */
@ApplicationScoped
public class ApplianceService {

    private static final Logger LOG = Logger.getLogger(ApplianceService.class);

    @Inject
    Outbox outbox;

    @Inject
    ApplianceConfig config;

    @Inject
    CertificateRepository certificates;

    /**
     * Registers {@code uid}; a gateway that already reported with it pairs at once. A report that
     * inserts the discovered row at the same moment makes the insert fail on the unique (tenant, uid):
     * then the registration runs again and finds that row.
     */
    public Uni<Appliance> register(String tenant, String uid, Map<String, String> tags) {
        return Panache.withTransaction(() -> registerOnce(tenant, uid, tags))
                .onFailure(ApplianceService::isDuplicateUid)
                .retry()
                .atMost(2);
    }

    /** Whether {@code e} is the loss of a race to insert the same (tenant, uid): the whole transaction may be retried. */
    public static boolean isDuplicateUid(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation
                    && "appliance_uid_per_tenant".equals(violation.getConstraintName())) {
                return true;
            }
            if (String.valueOf(t.getMessage()).contains("appliance_uid_per_tenant")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Registers {@code uid} inside the caller's transaction (as {@link #register}; the caller retries on
     * {@link #isDuplicateUid}).
     */
    public Uni<Appliance> registerOnce(String tenant, String uid, Map<String, String> tags) {
        return find(tenant, uid).chain(existing -> {
            if (existing != null && existing.registered) {
                throw ProblemException.conflict("uid", "appliance '" + uid + "' is already registered");
            }
            Instant now = Instant.now();
            boolean gatewaySeen = existing != null;
            Appliance appliance = gatewaySeen ? existing : Appliance.newRow(tenant, uid, now);
            appliance.registered = true;
            appliance.status = ApplianceStatus.UNPAIRED;
            appliance.unreachableReason = null;
            appliance.unreachableSince = null;
            appliance.tags = new TreeMap<>(tags == null ? Map.of() : tags);
            appliance.updatedAt = now;
            Uni<Appliance> registered =
                    appliance.<Appliance>persistAndFlush().call(a -> publish(a, EventTypes.APPLIANCE_REGISTERED));
            return gatewaySeen
                    ? registered.call(a -> transition(a, ApplianceStatus.READY, EventTypes.APPLIANCE_PAIRED))
                    : registered;
        });
    }

    @WithSession
    public Uni<Appliance> get(String tenant, String uid) {
        return registered(tenant, uid);
    }

    @WithSession
    public Uni<Page<Appliance>> list(
            String tenant, ApplianceStatus status, ApplianceKind kind, List<TagFilter> tags, int page, int size) {
        StringBuilder where = new StringBuilder("tenant = :tenant and registered");
        Map<String, Object> params = new TreeMap<>();
        params.put("tenant", tenant);
        if (status != null) {
            where.append(" and status = :status");
            params.put("status", status.name());
        }
        if (kind != null) {
            where.append(" and kind = :kind");
            params.put("kind", kind.name());
        }
        for (int i = 0; i < tags.size(); i++) {
            TagFilter tag = tags.get(i);
            // both forms the GIN index on tags serves (V3__tag_filter_index.sql): at 100,000 appliances a
            // sequential scan per request otherwise (deploy/bench/list-at-scale.sh)
            if (tag.value() == null) {
                where.append(" and tags_have_key(tags, :tagKey").append(i).append(')');
                params.put("tagKey" + i, tag.key());
            } else {
                where.append(" and tags @> jsonb_build_object(cast(:tagKey")
                        .append(i)
                        .append(" as text), cast(:tagValue")
                        .append(i)
                        .append(" as text))");
                params.put("tagKey" + i, tag.key());
                params.put("tagValue" + i, tag.value());
            }
        }
        return Panache.getSession().chain(session -> {
            var select = session.createNativeQuery(
                    "select * from appliance where " + where + " order by uid", Appliance.class);
            var count = session.createNativeQuery("select count(*) from appliance where " + where, Long.class);
            params.forEach((name, value) -> {
                select.setParameter(name, value);
                count.setParameter(name, value);
            });
            select.setFirstResult(page * size).setMaxResults(size);
            return select.getResultList()
                    .chain(items -> count.getSingleResult().map(total -> new Page<>(items, page, size, total)));
        });
    }

    @WithTransaction
    public Uni<Appliance> replaceTags(String tenant, String uid, Map<String, String> tags) {
        return registered(tenant, uid).chain(appliance -> {
            appliance.tags = new TreeMap<>(tags);
            appliance.updatedAt = Instant.now();
            return appliance.<Appliance>persistAndFlush().call(a -> publish(a, EventTypes.APPLIANCE_UPDATED));
        });
    }

    /**
     * Deletes the appliance and revokes its certificates (APPLIANCE_DELETED) in the same transaction; the
     * deleted event's identity says REVOKED when it had any, so the edge link cuts it off.
     */
    @WithTransaction
    public Uni<Void> delete(String tenant, String uid) {
        return lockRegistered(tenant, uid).chain(appliance -> {
            if (appliance.usedByCluster != null) {
                throw ProblemException.conflict(
                        "usedByCluster",
                        "appliance '" + uid + "' is used by cluster '" + appliance.usedByCluster
                                + "'; delete the cluster first");
            }
            Instant now = Instant.now();
            return certificates
                    .revokeAll(tenant, uid, RevocationReason.APPLIANCE_DELETED, now)
                    .chain(revoked -> {
                        appliance.certificatesRevoked(now);
                        if (revoked > 0) {
                            LOG.infof(
                                    "appliance '%s' of tenant %s deleted: %d certificate(s) revoked",
                                    uid, tenant, revoked);
                        }
                        return publish(appliance, EventTypes.APPLIANCE_DELETED);
                    })
                    .chain(() -> DeletedAppliance.record(
                            tenant, uid, now, now.minus(config.deletion().rememberFor())))
                    .chain(appliance::delete);
        });
    }

    /** A gateway report as taken from {@code gateway-reports}: whose, what, and when the gateway sent it. */
    public record IncomingReport(String tenant, GatewayReport report, Instant time) {}

    /**
     * Applies a poll's gateway reports (called inside the consumer's transaction, which also records them as handled).
     * Most are heartbeats of READY appliances that change nothing but when they were seen: those are one bulk update
     * ({@link Appliance#markSeen}) with no event; every other report is {@link #applyReport}, in order.
     */
    public Uni<Void> applyReports(List<IncomingReport> reports) {
        if (reports.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<String> tenants = new HashSet<>();
        Set<String> uids = new HashSet<>();
        Map<String, List<IncomingReport>> byAppliance = new LinkedHashMap<>();
        for (IncomingReport r : reports) {
            tenants.add(r.tenant());
            uids.add(r.report().uid());
            byAppliance
                    .computeIfAbsent(key(r.tenant(), r.report().uid()), k -> new ArrayList<>())
                    .add(r);
        }
        return Appliance.<Appliance>list("tenant in ?1 and uid in ?2", tenants, uids)
                .chain(rows -> {
                    Map<String, Appliance> known = new HashMap<>();
                    rows.forEach(a -> known.put(key(a.tenant, a.uid), a));
                    List<Appliance.Seen> seen = new ArrayList<>();
                    List<IncomingReport> others = new ArrayList<>();
                    byAppliance.forEach((key, ofAppliance) -> {
                        Appliance a = known.get(key);
                        boolean onlySeen = a != null
                                && a.registered
                                && a.status == ApplianceStatus.READY
                                && ofAppliance.stream().noneMatch(r -> a.changedBy(r.report()));
                        if (onlySeen) {
                            seen.add(new Appliance.Seen(
                                    a.id,
                                    ofAppliance.get(ofAppliance.size() - 1).time(),
                                    ofAppliance.stream()
                                            .map(r -> r.report().connectedAt())
                                            .filter(Objects::nonNull)
                                            .max(Instant::compareTo)
                                            .orElse(null)));
                        } else {
                            others.addAll(ofAppliance);
                        }
                    });
                    return Appliance.markSeen(seen, Instant.now())
                            .chain(() -> Multi.createFrom()
                                    .iterable(others) // one session: one statement at a time
                                    .onItem()
                                    .transformToUniAndConcatenate(r -> applyReport(r.tenant(), r.report(), r.time()))
                                    .collect()
                                    .last())
                            .replaceWithVoid();
                });
    }

    private static String key(String tenant, String uid) {
        return tenant + '/' + uid;
    }

    /**
     * Applies one gateway report (called inside the consumer's transaction). Reports of one appliance
     * arrive in order (one Kafka key), so the newest report always wins.
     */
    public Uni<Void> applyReport(String tenant, GatewayReport report, Instant reportTime) {
        return find(tenant, report.uid()).chain(existing -> {
            Instant now = Instant.now();
            if (existing == null) {
                return DeletedAppliance.find(
                                tenant,
                                report.uid(),
                                now.minus(config.deletion().rememberFor()))
                        .chain(deleted -> {
                            if (deleted != null
                                    && deleted.late(
                                            reportTime, config.deletion().cutOff())) {
                                LOG.infof(
                                        "a report of deleted appliance '%s' of tenant %s, sent at %s (deleted at %s),"
                                                + " is dropped: it stays deleted",
                                        report.uid(), tenant, reportTime, deleted.deletedAt());
                                return Uni.createFrom().voidItem();
                            }
                            Appliance discovered = Appliance.newRow(tenant, report.uid(), now);
                            discovered.applyReport(report, reportTime, now);
                            LOG.infof(
                                    "gateway '%s' of tenant %s reports but is not registered: kept as discovered",
                                    report.uid(), tenant);
                            return discovered.persist().replaceWithVoid();
                        });
            }
            boolean changed = existing.applyReport(report, reportTime, now);
            if (!existing.registered) {
                return Uni.createFrom().voidItem();
            }
            return switch (existing.status) {
                case UNPAIRED -> transition(existing, ApplianceStatus.READY, EventTypes.APPLIANCE_PAIRED);
                case UNREACHABLE -> transition(existing, ApplianceStatus.READY, EventTypes.APPLIANCE_REACHABLE);
                case READY ->
                    changed
                            ? existing.persistAndFlush().chain(a -> publish(existing, EventTypes.APPLIANCE_UPDATED))
                            : Uni.createFrom().voidItem();
            };
        });
    }

    /**
     * Takes over which appliances a cluster uses, from its snapshot on {@code cluster-events} (called
     * inside the consumer's transaction): the listed ones are marked, the ones it no longer lists are
     * freed. An appliance that another cluster already holds is left alone (cluster-service refuses
     * that placement; this is the second line of defence).
     */
    public Uni<Void> applyClusterUsage(String tenant, String clusterId, Set<String> uids) {
        return Appliance.<Appliance>list(
                        "tenant = ?1 and registered and (usedByCluster = ?2 or uid in ?3)",
                        tenant,
                        clusterId,
                        uids.isEmpty() ? Set.of("") : uids)
                .chain(appliances -> Multi.createFrom()
                        .iterable(appliances)
                        .onItem()
                        .transformToUniAndConcatenate(a -> {
                            String wanted = uids.contains(a.uid) ? clusterId : null;
                            if (wanted != null && a.usedByCluster != null && !a.usedByCluster.equals(clusterId)) {
                                LOG.warnf(
                                        "cluster %s lists appliance '%s' of tenant %s, which cluster %s uses",
                                        clusterId, a.uid, tenant, a.usedByCluster);
                                return Uni.createFrom().voidItem();
                            }
                            if (Objects.equals(wanted, a.usedByCluster)) {
                                return Uni.createFrom().voidItem();
                            }
                            a.usedByCluster = wanted;
                            a.updatedAt = Instant.now();
                            return a.persistAndFlush().chain(saved -> publish(a, EventTypes.APPLIANCE_UPDATED));
                        })
                        .collect()
                        .last())
                .replaceWithVoid();
    }

    /**
     * Records a gateway's link-lost will (inside the consumer's transaction, after the poll's reports): a READY
     * appliance whose newest known connection is the lost one gets the loss pending; the sweep decides
     * ({@link #markLinkLostUnreachable}).
     *
     * @param relayedAt when the edge bridge relayed the will to Kafka (its record's timestamp); null if unknown
     */
    public Uni<LinkLoss.OnWill> recordLinkLost(String tenant, LinkLost lost, Instant relayedAt) {
        return find(tenant, lost.uid()).chain(appliance -> {
            LinkLoss.OnWill outcome = LinkLoss.onWill(
                    appliance == null || !appliance.registered ? null : appliance.status,
                    appliance == null ? null : appliance.connectedAt,
                    lost.connectedAt());
            if (outcome != LinkLoss.OnWill.RECORDED) {
                LOG.debugf(
                        "link-lost of appliance '%s' of tenant %s (connection of %s) changes nothing: %s",
                        lost.uid(), tenant, lost.connectedAt(), outcome);
                return Uni.createFrom().item(outcome);
            }
            Instant now = Instant.now();
            appliance.lostConnection = lost.connectedAt();
            appliance.linkLostAt = now;
            // the broker publishes the will one will delay after the drop and the bridge relays it at once: its relay
            // time, not when this service takes it (late behind a backlog), minus the delay is what operators see as
            // "lost at" (never after now: the bridge's clock may be ahead)
            Instant published = relayedAt != null && relayedAt.isBefore(now) ? relayedAt : now;
            appliance.linkDroppedAt = published.minusSeconds(Math.max(0, lost.willDelaySeconds()));
            return appliance.persistAndFlush().replaceWith(outcome);
        });
    }

    /**
     * Turns READY appliances whose link-lost will was taken at least the settle time ago UNREACHABLE, unless a later
     * connection reported meanwhile; clears every loss it looked at. Only while the edge link is trusted (the caller,
     * HeartbeatMonitor). Returns how many turned UNREACHABLE.
     */
    @WithTransaction
    public Uni<Integer> markLinkLostUnreachable(int limit) {
        Instant settled = Instant.now().minus(config.heartbeat().linkLostSettle());
        return Appliance.<Appliance>find("linkLostAt < ?1", settled)
                .page(0, limit)
                .list()
                .chain(pending -> Multi.createFrom()
                        .iterable(pending) // one session: one statement at a time
                        .onItem()
                        .transformToUniAndConcatenate(a -> {
                            boolean lost = a.registered
                                    && a.status == ApplianceStatus.READY
                                    && LinkLoss.stillLost(a.connectedAt, a.lostConnection);
                            Instant connection = a.lostConnection;
                            Instant dropped = a.linkDroppedAt != null ? a.linkDroppedAt : a.linkLostAt;
                            a.lostConnection = null;
                            a.linkLostAt = null;
                            a.linkDroppedAt = null;
                            if (!lost) {
                                return a.persistAndFlush().replaceWith(0);
                            }
                            LOG.infof(
                                    "appliance '%s' of tenant %s: its link was lost (the connection of %s did not"
                                            + " come back within the will delay)",
                                    a.uid, a.tenant, connection);
                            return unreachable(a, UnreachableReason.LINK_LOST, dropped)
                                    .replaceWith(1);
                        })
                        .collect()
                        .asList())
                .map(done -> done.stream().mapToInt(Integer::intValue).sum());
    }

    /** Marks READY appliances whose gateway went quiet as UNREACHABLE. Returns how many. */
    @WithTransaction
    public Uni<Integer> markSilentUnreachable(int limit) {
        Instant deadline = Instant.now().minus(config.heartbeat().timeout());
        return Appliance.<Appliance>find("status = ?1 and lastSeenAt < ?2", ApplianceStatus.READY, deadline)
                .page(0, limit)
                .list()
                .call(silent -> Multi.createFrom()
                        .iterable(silent) // one session: one statement at a time
                        .onItem()
                        .transformToUniAndConcatenate(
                                a -> unreachable(a, UnreachableReason.HEARTBEATS_MISSED, a.lastSeenAt))
                        .collect()
                        .last())
                .map(List::size);
    }

    /** READY -> UNREACHABLE, keeping why and since when (not derivable later: the sweep clears a pending loss). */
    private Uni<Void> unreachable(Appliance appliance, UnreachableReason reason, Instant since) {
        appliance.unreachableReason = reason;
        appliance.unreachableSince = since;
        return transition(appliance, ApplianceStatus.UNREACHABLE, EventTypes.APPLIANCE_UNREACHABLE);
    }

    private Uni<Void> transition(Appliance appliance, ApplianceStatus to, String eventType) {
        LOG.infof("appliance '%s' of tenant %s: %s -> %s", appliance.uid, appliance.tenant, appliance.status, to);
        Instant now = Instant.now();
        if (to == ApplianceStatus.READY && appliance.pairedAt == null) {
            appliance.pairedAt = now;
        }
        if (to != ApplianceStatus.UNREACHABLE) { // a reason holds only while UNREACHABLE
            appliance.unreachableReason = null;
            appliance.unreachableSince = null;
        }
        appliance.status = to;
        appliance.updatedAt = now;
        return appliance.persistAndFlush().chain(a -> publish(appliance, eventType));
    }

    /** Writes the appliance and its event {@code eventType} (inside the caller's transaction). */
    public Uni<Void> saveAndPublish(Appliance appliance, String eventType) {
        return appliance.persistAndFlush().chain(a -> publish(appliance, eventType));
    }

    private Uni<Void> publish(Appliance appliance, String eventType) {
        return outbox.add(
                        Topics.APPLIANCE_EVENTS,
                        appliance.uid,
                        eventType,
                        appliance.uid,
                        appliance.tenant,
                        appliance.snapshot())
                .replaceWithVoid();
    }

    private static Uni<Appliance> find(String tenant, String uid) {
        return Appliance.find("tenant = ?1 and uid = ?2", tenant, uid).firstResult();
    }

    /**
     * The appliance row of {@code tenant/uid} (registered or only discovered), or null, locked until the caller's
     * transaction ends: identity changes (enrolment, renewal, revocation, delete) of one appliance run one at a time.
     */
    public Uni<Appliance> lock(String tenant, String uid) {
        return Appliance.<Appliance>find("tenant = ?1 and uid = ?2", tenant, uid)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /** As {@link #lock}, but a registered appliance or 404 (also for another tenant's appliance). */
    public Uni<Appliance> lockRegistered(String tenant, String uid) {
        return lock(tenant, uid).map(a -> {
            if (a == null || !a.registered) {
                throw ProblemException.notFound("appliance", uid);
            }
            return a;
        });
    }

    /** The registered appliance, or 404 (also for another tenant's appliance). */
    public static Uni<Appliance> registered(String tenant, String uid) {
        return find(tenant, uid).map(a -> {
            if (a == null || !a.registered) {
                throw ProblemException.notFound("appliance", uid);
            }
            return a;
        });
    }

    /** {@code key} alone matches appliances that have the tag at all. */
    public record TagFilter(String key, String value) {}
}
