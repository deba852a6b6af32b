package io.edgefleet.profile.repository;

import io.edgefleet.events.payload.RegistryKind;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A pack or chart registry. The built-in catalog is the row {@value #BUILTIN_ID} without a tenant;
 * every other registry belongs to one tenant.
 */
@Entity
@Table(name = "registry")
public class Registry extends PanacheEntityBase {

    public static final String BUILTIN_ID = "builtin";
    /** CloudEvent tenant of events about the built-in catalog (not a valid tenant id, so never a real one). */
    public static final String SYSTEM_TENANT = "_system";

    @Id
    public String id;
    /** Null for the built-in catalog. */
    public String tenant;

    public String name;

    @Enumerated(EnumType.STRING)
    public RegistryKind kind;

    public String url;

    @Column(name = "last_sync_at")
    public Instant lastSyncAt;

    @Column(name = "last_sync_error")
    public String lastSyncError;

    @Column(name = "last_success_at")
    public Instant lastSuccessAt;

    @Column(name = "index_digest")
    public String indexDigest;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public boolean builtIn() {
        return tenant == null;
    }

    /** Whether its catalog is read from a URL (and synced). */
    public boolean remote() {
        return kind == RegistryKind.PACK || kind == RegistryKind.HELM;
    }

    public String eventTenant() {
        return tenant == null ? SYSTEM_TENANT : tenant;
    }

    /** A registry {@code tenant} may read: the built-in one or its own; null otherwise. */
    public static Uni<Registry> visible(String tenant, String id) {
        return Registry.<Registry>find("id = ?1 and (tenant is null or tenant = ?2)", id, tenant)
                .firstResult();
    }
}
