package io.edgefleet.profile.catalog;

import java.util.regex.Pattern;

/** Name rules shared by packs, charts, presets and manifests: they end up in labels, paths and Helm releases. */
public final class Names {

    /** Pack and chart names: lowercase letters, digits, '.', '_', '-'; 1-63 characters. */
    public static final Pattern PACK = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");

    public static final String PACK_HINT =
            "must be 1-63 lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit";
    /** Presets, add-on types, manifest names: Kubernetes-style names. */
    public static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public static final String LABEL_HINT =
            "must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit";

    private Names() {}
}
