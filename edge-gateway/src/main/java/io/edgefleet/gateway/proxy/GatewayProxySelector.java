package io.edgefleet.gateway.proxy;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;

/** {@link ProxyRoutes} for {@code java.net.http}: an https URL is tunnelled with CONNECT, an http one sent to the proxy. */
final class GatewayProxySelector extends ProxySelector {

    private final ProxyRoutes routes;

    GatewayProxySelector(ProxyRoutes routes) {
        this.routes = routes;
    }

    @Override
    public List<Proxy> select(URI uri) {
        return routes.forUri(uri)
                .map(address -> List.of(new Proxy(Proxy.Type.HTTP, address)))
                .orElse(List.of(Proxy.NO_PROXY));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress proxy, IOException failure) {
        // nothing to learn: there is one proxy per scheme, and the caller reports the failure
    }
}
