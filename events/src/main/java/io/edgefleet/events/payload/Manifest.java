package io.edgefleet.events.payload;

/** A named Kubernetes manifest: one or more YAML documents, each with apiVersion, kind and metadata.name. */
public record Manifest(String name, String content) {}
