package io.edgefleet.profile.service;

import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ProfileType;

import java.util.List;
import java.util.Map;

/**
 * A profile as asked for, after the checks that need no catalog. {@code layers} holds null where a
 * layer already failed those checks (its errors are recorded; the others are still resolved). {@code rollout} is
 * IMMEDIATE when not asked for.
 */
public record ProfileDraft(
        String name,
        String version,
        String description,
        Map<String, String> tags,
        ProfileType type,
        String environment,
        CloudType cloudType,
        List<LayerDraft> layers,
        ProfileRollout rollout) {}
