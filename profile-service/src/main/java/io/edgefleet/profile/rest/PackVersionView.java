package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.profile.catalog.Preset;
import io.edgefleet.profile.repository.PackVersion;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * One version of a pack with what a profile layer needs: its default values (YAML) and presets.
 * Helm charts carry their repository metadata instead (their values live in the chart archive).
 */
public record PackVersionView(
        String registry,
        String name,
        PackLayer layer,

        @Schema(nullable = true, description = "ADDON packs: monitoring, security, load-balancer, ...")
        String addonType,

        @Schema(nullable = true) String displayName,
        @Schema(nullable = true) String description,
        String version,
        boolean prerelease,
        boolean withdrawn,

        @Schema(description = "the default values as YAML (empty for Helm charts)")
        String defaults,

        List<Preset> presets,

        @Schema(nullable = true, description = "Helm charts: the chart's appVersion")
        String appVersion,

        @Schema(nullable = true, description = "Helm charts: the chart archive's digest")
        String digest,

        @Schema(description = "Helm charts: where the chart archive is")
        List<String> urls,

        @Schema(nullable = true, description = "Helm charts: the index's `created`")
        Instant created,

        Instant publishedAt) {

    static PackVersionView of(PackVersion v) {
        return new PackVersionView(
                v.registryId,
                v.name,
                v.layer,
                v.addonType,
                v.displayName,
                v.description,
                v.version,
                v.prerelease,
                v.withdrawn,
                v.defaults,
                v.presets(),
                v.appVersion,
                v.digest,
                v.urls(),
                v.releasedAt,
                v.publishedAt);
    }
}
