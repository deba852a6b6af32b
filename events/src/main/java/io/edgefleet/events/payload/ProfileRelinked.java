package io.edgefleet.events.payload;

/**
 * A layer on a version train was re-linked to a newer release of its pack or chart, so clusters built
 * from the profile can roll forward. {@code profile} is the profile after the re-link.
 *
 * @param train      the layer's version train, e.g. {@code 1.1.x}
 * @param oldVersion the release linked before
 * @param newVersion the release linked now
 */
public record ProfileRelinked(
        String profileId,
        String profileName,
        String profileVersion,
        int layerIndex,
        PackLayer layer,
        String registryId,
        String packName,
        String train,
        String oldVersion,
        String newVersion,
        ProfileSnapshot profile) {}
