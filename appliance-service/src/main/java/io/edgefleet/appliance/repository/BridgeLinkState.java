package io.edgefleet.appliance.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One edge bridge instance's last reported link status (V4__bridge_links.sql, V6__bridge_link_clients.sql). */
@Entity
@Table(name = "bridge_link")
public class BridgeLinkState extends PanacheEntityBase {

    @Id
    @Column(name = "bridge_id")
    public String bridgeId;

    public boolean linked;

    @Column(name = "linked_since")
    public Instant linkedSince;

    @Column(name = "reported_at")
    public Instant reportedAt;

    /** The bridge said it stopped: gone, not away (its status no longer counts). */
    public boolean stopped;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    /** The broker's connected-client count on the bridge's current connection (null: none reported). */
    @Column(name = "broker_clients")
    public Integer brokerClients;

    /** The last count before that connection began (null: none). */
    @Column(name = "clients_before")
    public Integer clientsBefore;

    /** When the count last reached a new high on the current connection (null: it has not risen). */
    @Column(name = "clients_rose_at")
    public Instant clientsRoseAt;

    /**
     * Records a status unless a newer one (by the bridge's {@code reportedAt}) is there already: statuses of one bridge
     * share a key and arrive in order, but a redelivery or a replay must not turn the clock back. One statement, so
     * instances recording at once do not conflict.
     */
    public static Uni<Integer> record(
            String bridgeId,
            boolean linked,
            Instant linkedSince,
            Instant reportedAt,
            boolean stopped,
            Integer brokerClients,
            Integer clientsBefore,
            Instant clientsRoseAt,
            Instant recordedAt) {
        String sql = "insert into bridge_link (bridge_id, linked, linked_since, reported_at, stopped,"
                + " broker_clients, clients_before, clients_rose_at, recorded_at)"
                + " values (:id, :linked, :since, :reported, :stopped, :clients, :before, :roseAt, :recorded)"
                + " on conflict (bridge_id) do update set linked = excluded.linked,"
                + " linked_since = excluded.linked_since, reported_at = excluded.reported_at,"
                + " stopped = excluded.stopped, broker_clients = excluded.broker_clients,"
                + " clients_before = excluded.clients_before, clients_rose_at = excluded.clients_rose_at,"
                + " recorded_at = excluded.recorded_at"
                + " where bridge_link.reported_at < excluded.reported_at";
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(sql)
                        .setParameter("id", bridgeId)
                        .setParameter("linked", linked)
                        .setParameter("since", linkedSince)
                        .setParameter("reported", reportedAt)
                        .setParameter("stopped", stopped)
                        .setParameter("clients", brokerClients)
                        .setParameter("before", clientsBefore)
                        .setParameter("roseAt", clientsRoseAt)
                        .setParameter("recorded", recordedAt)
                        .executeUpdate());
    }
}
