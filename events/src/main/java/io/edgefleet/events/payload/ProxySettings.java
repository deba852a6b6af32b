package io.edgefleet.events.payload;

import java.util.List;

/** Proxy settings given to the gateway installer; carried to the nodes it creates. */
public record ProxySettings(String httpProxy, String httpsProxy, List<String> noProxy) {
    public static final ProxySettings NONE = new ProxySettings(null, null, List.of());
}
