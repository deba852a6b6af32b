package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.RegistryKind;
import io.edgefleet.profile.repository.Registry;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * A registry as the API shows it.
 *
 * @param lastSyncAt    the last sync attempt
 * @param lastSyncError why that attempt failed (the catalog of {@code lastSuccessAt} is still offered); null after a success
 * @param packs         packs offered now; {@code versions}: their versions (withdrawn ones not counted)
 */
public record RegistryView(
        String id,
        String name,
        RegistryKind kind,

        @Schema(nullable = true, description = "PACK and HELM: the repository URL; none for LOCAL and BUILTIN")
        String url,

        boolean builtIn,

        @Schema(nullable = true, description = "the last sync attempt")
        Instant lastSyncAt,

        @Schema(nullable = true, description = "why that attempt failed; none after a success")
        String lastSyncError,

        @Schema(nullable = true, description = "the last successful sync")
        Instant lastSuccessAt,

        long packs,
        long versions,
        Instant createdAt) {

    static RegistryView of(Registry r, long[] counts) {
        return new RegistryView(
                r.id,
                r.name,
                r.kind,
                r.url,
                r.builtIn(),
                r.lastSyncAt,
                r.lastSyncError,
                r.lastSuccessAt,
                counts == null ? 0 : counts[0],
                counts == null ? 0 : counts[1],
                r.createdAt);
    }
}
