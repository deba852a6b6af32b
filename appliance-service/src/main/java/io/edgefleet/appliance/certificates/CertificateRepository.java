package io.edgefleet.appliance.certificates;

import io.edgefleet.appliance.ca.EdgeCa;
import io.edgefleet.appliance.repository.Appliance;
import io.edgefleet.kit.rest.Page;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The certificates the edge CA issued. Every method runs in the caller's session or transaction. */
@ApplicationScoped
public class CertificateRepository {

    /** Records a certificate just issued to {@code appliance}. */
    public Uni<ApplianceCertificate> record(
            Appliance appliance,
            EdgeCa.Issued issued,
            ApplianceCertificate.IssuedFor issuedFor,
            UUID tokenId,
            Instant now) {
        ApplianceCertificate row = new ApplianceCertificate();
        row.id = UUID.randomUUID();
        row.tenant = appliance.tenant;
        row.uid = appliance.uid;
        row.applianceId = appliance.id;
        row.serial = issued.serialHex();
        row.notBefore = issued.notBefore();
        row.notAfter = issued.notAfter();
        row.issuedAt = now;
        row.issuedFor = issuedFor;
        row.tokenId = tokenId;
        row.certificate = issued.pem();
        return row.persist();
    }

    /** Revokes every certificate of {@code tenant/uid} not revoked yet; returns how many. */
    public Uni<Integer> revokeAll(String tenant, String uid, RevocationReason reason, Instant now) {
        return ApplianceCertificate.update(
                "revokedAt = ?1, revocationReason = ?2 where tenant = ?3 and uid = ?4 and revokedAt is null",
                now,
                reason,
                tenant,
                uid);
    }

    /** The certificate with this serial (lower-case hex), or null. */
    public Uni<ApplianceCertificate> bySerial(String serialHex) {
        return ApplianceCertificate.find("serial", serialHex).firstResult();
    }

    /** The certificates issued to one appliance, newest first. */
    public Uni<Page<ApplianceCertificate>> of(Appliance appliance, int page, int size) {
        var query = ApplianceCertificate.<ApplianceCertificate>find(
                "applianceId = ?1 order by issuedAt desc, serial", appliance.id);
        return query.page(page, size)
                .list()
                .chain(items -> query.count().map(total -> new Page<>(items, page, size, total)));
    }

    /** What the CRL lists: revoked certificates of every tenant that have not expired yet (without their PEM). */
    public Uni<List<EdgeCa.Revoked>> revokedUnexpired(Instant now) {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(
                                "select c.serial, c.revokedAt, c.revocationReason from ApplianceCertificate c"
                                        + " where c.revokedAt is not null and c.notAfter > :now order by c.revokedAt, c.serial",
                                Object[].class)
                        .setParameter("now", now)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new EdgeCa.Revoked(
                                (String) r[0], (Instant) r[1], ((RevocationReason) r[2]).crlReason()))
                        .toList());
    }

    /** The next CRL number, from a database sequence: it only grows, across restarts and instances. */
    public Uni<Long> nextCrlNumber() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("select nextval('crl_number')", Long.class)
                        .getSingleResult());
    }
}
