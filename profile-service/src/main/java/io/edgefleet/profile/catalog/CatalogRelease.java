package io.edgefleet.profile.catalog;

import java.time.Instant;
import java.util.List;

/**
 * One version of a pack or chart as a registry lists it.
 *
 * @param defaults   the pack's default values (YAML); empty for Helm charts, whose values live in the chart archive
 * @param appVersion digest, urls, created: Helm chart metadata, null for packs
 */
public record CatalogRelease(
        String version,
        String defaults,
        List<Preset> presets,
        String appVersion,
        String digest,
        List<String> urls,
        Instant created) {}
