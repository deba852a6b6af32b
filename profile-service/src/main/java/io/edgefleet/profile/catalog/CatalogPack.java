package io.edgefleet.profile.catalog;

import io.edgefleet.events.payload.PackLayer;

import java.util.List;

/** A pack (or Helm chart) with its versions, as read from a registry's index. */
public record CatalogPack(
        String name,
        PackLayer layer,
        String addonType,
        String displayName,
        String description,
        List<CatalogRelease> releases) {}
