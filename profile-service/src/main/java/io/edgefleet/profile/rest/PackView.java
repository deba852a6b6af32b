package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.RegistryKind;
import io.edgefleet.profile.repository.PackVersionRow;
import io.edgefleet.profile.service.PackService;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * A pack or chart of one registry with its versions, newest first.
 *
 * @param latest the newest release (not a pre-release, not withdrawn) among {@code versions}; null if none
 */
public record PackView(
        String registry,
        String registryName,
        RegistryKind registryKind,
        String name,
        PackLayer layer,

        @Schema(nullable = true, description = "ADDON packs: monitoring, security, load-balancer, ...")
        String addonType,

        @Schema(nullable = true) String displayName,
        @Schema(nullable = true) String description,

        @Schema(nullable = true, description = "the newest release (not a pre-release, not withdrawn)")
        String latest,

        List<Version> versions) {

    /**
     * @param prerelease pre-releases are never linked by a train
     * @param withdrawn  gone from the registry's index: only layers pinned to it still use it
     */
    @Schema(name = "PackVersionSummary", description = "One version of a pack in a search result or a pack's list")
    public record Version(
            String version,
            boolean prerelease,

            @Schema(nullable = true, description = "Helm charts: the chart's appVersion")
            String appVersion,

            boolean withdrawn,
            Instant publishedAt) {
        static Version of(PackVersionRow r) {
            return new Version(r.version(), r.prerelease(), r.appVersion(), r.withdrawn(), r.publishedAt());
        }
    }

    static PackView of(PackService.PackMatch m) {
        String latest = m.versions().stream()
                .filter(v -> !v.prerelease() && !v.withdrawn())
                .map(PackVersionRow::version)
                .findFirst()
                .orElse(null);
        return new PackView(
                m.registry().id,
                m.registry().name,
                m.registry().kind,
                m.name(),
                m.layer(),
                m.addonType(),
                m.displayName(),
                m.description(),
                latest,
                m.versions().stream().map(Version::of).toList());
    }
}
