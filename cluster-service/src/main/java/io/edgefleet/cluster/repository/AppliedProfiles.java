package io.edgefleet.cluster.repository;

import java.util.List;

/** The profile (FULL or INFRA) and add-on profiles a cluster was last built from. */
public record AppliedProfiles(ProfileCopy profile, List<ProfileCopy> addons) {}
