package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.profile.catalog.Preset;
import io.edgefleet.profile.repository.PackVersion;

import java.time.Instant;
import java.util.List;

/**
 * One version of a pack with what a profile layer needs: its default values (YAML) and presets.
 * Helm charts carry their repository metadata instead (their values live in the chart archive).
 */
public record PackVersionView(String registry, String name, PackLayer layer, String addonType, String displayName,
                              String description, String version, boolean prerelease, boolean withdrawn, String defaults,
                              List<Preset> presets, String appVersion, String digest, List<String> urls, Instant created,
                              Instant publishedAt) {

    static PackVersionView of(PackVersion v) {
        return new PackVersionView(v.registryId, v.name, v.layer, v.addonType, v.displayName, v.description, v.version,
                v.prerelease, v.withdrawn, v.defaults, v.presets(), v.appVersion, v.digest, v.urls(), v.releasedAt, v.publishedAt);
    }
}
