package io.edgefleet.profile.rest;

/** A named manifest: one or more Kubernetes objects as YAML documents. */
public record ManifestRequest(String name, String content) {
}
