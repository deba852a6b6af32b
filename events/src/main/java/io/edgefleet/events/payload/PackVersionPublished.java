package io.edgefleet.events.payload;

import java.time.Instant;

/**
 * A registry gained a pack or chart version: published through the API, found by a registry sync,
 * or shipped in the built-in catalog. Built-in packs are published with tenant {@code _system}.
 */
public record PackVersionPublished(
        String registryId,
        String registryName,
        RegistryKind registryKind,
        String packName,
        PackLayer layer,
        String addonType,
        String version,
        boolean prerelease,
        String appVersion,
        String digest,
        Instant publishedAt) {}
