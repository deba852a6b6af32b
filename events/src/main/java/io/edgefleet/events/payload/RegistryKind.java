package io.edgefleet.events.payload;

/**
 * BUILTIN: the catalog shipped with profile-service, visible to every tenant; PACK: a pack index read
 * over HTTP; HELM: a Helm chart repository ({@code index.yaml}); LOCAL: a tenant's own registry whose
 * pack versions are published through the API.
 */
public enum RegistryKind {
    BUILTIN,
    PACK,
    HELM,
    LOCAL
}
