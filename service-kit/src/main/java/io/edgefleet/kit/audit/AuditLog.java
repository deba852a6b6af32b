package io.edgefleet.kit.audit;

import io.edgefleet.kit.rest.Page;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The audit log of this service: {@link AuditFilter} records, {@code GET /v1/audit} reads (one tenant at a time). */
@ApplicationScoped
public class AuditLog {

    /** One write as {@link AuditFilter} saw it. */
    public record Write(
            String tenant,
            String actor,
            String action,
            String method,
            String target,
            int status,
            String requestId,
            Instant occurredAt) {}

    public Uni<Void> record(Write write) {
        return Panache.withTransaction(() -> Panache.getSession()
                        .chain(s -> s.createNativeQuery(
                                        "insert into audit_record (tenant, actor, action, method, target, status, outcome,"
                                                + " request_id, occurred_at) values (:tenant, :actor, :action, :method,"
                                                + " :target, :status, :outcome, :requestId, :occurredAt)")
                                .setParameter("tenant", write.tenant())
                                .setParameter("actor", write.actor())
                                .setParameter("action", write.action())
                                .setParameter("method", write.method())
                                .setParameter("target", write.target())
                                .setParameter("status", write.status())
                                .setParameter(
                                        "outcome",
                                        AuditEntry.Outcome.of(write.status()).name())
                                .setParameter("requestId", write.requestId())
                                .setParameter(
                                        "occurredAt", OffsetDateTime.ofInstant(write.occurredAt(), ZoneOffset.UTC))
                                .executeUpdate()))
                .replaceWithVoid();
    }

    /** The tenant's writes matching {@code filters}, newest first. */
    public Uni<Page<AuditEntry>> list(String tenant, AuditQuery.Filters filters) {
        StringBuilder where = new StringBuilder(" where tenant = :tenant");
        List<Object[]> parameters = new ArrayList<>();
        parameters.add(new Object[] {"tenant", tenant});
        if (filters.actor() != null) {
            where.append(" and actor = :actor");
            parameters.add(new Object[] {"actor", filters.actor()});
        }
        if (filters.action() != null) {
            where.append(" and action = :action");
            parameters.add(new Object[] {"action", filters.action()});
        }
        if (filters.targetPrefix() != null) {
            // a prefix, with LIKE's own characters taken literally
            where.append(" and starts_with(target, :target)");
            parameters.add(new Object[] {"target", filters.targetPrefix()});
        }
        if (filters.outcome() != null) {
            where.append(" and outcome = :outcome");
            parameters.add(new Object[] {"outcome", filters.outcome().name()});
        }
        if (filters.from() != null) {
            where.append(" and occurred_at >= :from");
            parameters.add(new Object[] {"from", OffsetDateTime.ofInstant(filters.from(), ZoneOffset.UTC)});
        }
        if (filters.to() != null) {
            where.append(" and occurred_at < :to");
            parameters.add(new Object[] {"to", OffsetDateTime.ofInstant(filters.to(), ZoneOffset.UTC)});
        }
        return Panache.withSession(() -> Panache.getSession().chain(s -> {
            var count = s.createNativeQuery("select count(*) from audit_record" + where, Long.class);
            var rows = s.createNativeQuery(
                            "select id, actor, action, method, target, status, outcome, request_id, occurred_at"
                                    + " from audit_record" + where + " order by occurred_at desc, id desc",
                            Object[].class)
                    .setFirstResult(filters.page() * filters.size())
                    .setMaxResults(filters.size());
            for (Object[] p : parameters) {
                count.setParameter((String) p[0], p[1]);
                rows.setParameter((String) p[0], p[1]);
            }
            return count.getSingleResult()
                    .chain(total -> rows.getResultList()
                            .map(list -> new Page<>(
                                    list.stream().map(AuditLog::entry).toList(),
                                    filters.page(),
                                    filters.size(),
                                    total)));
        }));
    }

    private static AuditEntry entry(Object[] row) {
        return new AuditEntry(
                ((Number) row[0]).longValue(),
                (String) row[1],
                (String) row[2],
                (String) row[3],
                (String) row[4],
                ((Number) row[5]).intValue(),
                AuditEntry.Outcome.valueOf((String) row[6]),
                (String) row[7],
                instant(row[8]));
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        return (Instant) value;
    }
}
