package io.edgefleet.profile.repository;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.profile.version.SemVer;

import java.time.Instant;
import java.util.UUID;

/**
 * A pack version without its values: what searches and version resolution need (a Panache projection of
 * {@link PackVersion}; component names match its fields).
 */
public record PackVersionRow(
        UUID id,
        String registryId,
        String name,
        PackLayer layer,
        String addonType,
        String displayName,
        String description,
        String version,
        boolean prerelease,
        String appVersion,
        boolean withdrawn,
        Instant publishedAt) {

    public SemVer semver() {
        return SemVer.parse(version);
    }
}
