package io.edgefleet.profile.rest;

import java.util.List;

/**
 * The result of a successful sync.
 *
 * @param added     versions new in this sync ({@code name@version}); each was published as an event
 * @param withdrawn versions gone from the index (kept for profiles that pin them, no longer offered)
 * @param relinked  profile layers moved to a newer release on their train
 * @param skipped   index entries that cannot be used, with the reason (e.g. library charts)
 */
public record SyncView(
        RegistryView registry, List<String> added, List<String> withdrawn, int relinked, List<String> skipped) {}
