package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.RegistryKind;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.catalog.RegistryUrls;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Locale;
import java.util.Set;

/**
 * Body of {@code POST /v1/registries}.
 *
 * @param kind PACK (a pack index over HTTP), HELM (a Helm chart repository) or LOCAL (versions published
 *             through the API)
 * @param url  PACK and HELM: the repository URL; its index is {@code <url>/index.yaml}, or the URL itself
 *             when it names a {@code .yaml} file. LOCAL: none
 */
public record RegistryRequest(
        @Schema(required = true, maxLength = 64, pattern = "^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
        String name,

        @Schema(
                required = true,
                type = SchemaType.STRING,
                enumeration = {"PACK", "HELM", "LOCAL"})
        String kind,

        @Schema(
                nullable = true,
                maxLength = 2048,
                description = "PACK and HELM: the repository URL (http or https); LOCAL: none")
        String url) {

    private static final Set<String> RESERVED = Set.of("builtin", "edgefleet");

    RegistryKind validate(Validator v, boolean allowLoopback) {
        if (v.text(name, "name", 1, 64, RequestRules.NAME, RequestRules.NAME_HINT)) {
            v.require(
                    !RESERVED.contains(name.toLowerCase(Locale.ROOT)),
                    "name",
                    "'" + name + "' is reserved for the built-in registry");
        }
        RegistryKind registryKind = RequestRules.enumValue(kind, RegistryKind.class, "kind", v);
        if (registryKind == RegistryKind.BUILTIN) {
            v.require(false, "kind", "must be PACK, HELM or LOCAL (there is one built-in registry)");
            return null;
        }
        if (registryKind == RegistryKind.LOCAL) {
            v.require(url == null, "url", "LOCAL registries have no URL: versions are published to them");
        } else if (registryKind != null) {
            if (v.text(url, "url", 1, 2048, null, null)) {
                String problem = RegistryUrls.problem(url, allowLoopback);
                v.require(problem == null, "url", problem);
            }
        }
        return registryKind;
    }
}
