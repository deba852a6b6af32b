package io.edgefleet.profile.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A named manifest: one or more Kubernetes objects as YAML documents. */
public record ManifestRequest(
        @Schema(required = true, maxLength = 63) String name,

        @Schema(
                required = true,
                maxLength = LayerRequest.MAX_MANIFEST_CHARS,
                description = "Kubernetes objects as YAML documents")
        String content) {}
