package io.edgefleet.cluster.repository;

import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.Inventory;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/** cluster-service's view of an appliance, from appliance-events. */
@Entity
@Table(name = "known_appliance")
public class KnownAppliance extends PanacheEntityBase {
    @Id
    public UUID id;

    public String tenant;
    public String uid;

    @Enumerated(EnumType.STRING)
    public ApplianceStatus status;

    @Enumerated(EnumType.STRING)
    public ApplianceKind kind;

    @JdbcTypeCode(SqlTypes.JSON)
    public Inventory inventory;

    public long version;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
