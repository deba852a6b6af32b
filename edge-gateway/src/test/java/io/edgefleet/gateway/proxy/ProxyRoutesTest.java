package io.edgefleet.gateway.proxy;

import io.edgefleet.events.payload.ProxySettings;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which of the gateway's own connections take the proxy, and which --no-proxy sends direct. */
class ProxyRoutesTest {

    private final ProxyRoutes routes = ProxyRoutes.of(new ProxySettings(
            "http://plain.proxy:3128",
            "http://tls.proxy:8080",
            List.of(
                    "10.10.128.10",
                    ".corp.local",
                    "*.lab.example",
                    "registry.example.com",
                    "192.168.0.0/16",
                    "[fd00::1]",
                    "")));

    @Test
    void noProxyNamesHostsDomainSuffixesIpsAndRanges() {
        assertTrue(routes.bypassed("10.10.128.10"));
        assertFalse(routes.bypassed("10.10.128.11"));
        assertTrue(routes.bypassed("a.corp.local"), "a domain suffix");
        assertTrue(routes.bypassed("deep.a.CORP.local"), "case does not matter");
        assertFalse(routes.bypassed("corp.local"), "a leading dot: subdomains only");
        assertFalse(routes.bypassed("notcorp.local"));
        assertTrue(routes.bypassed("x.lab.example"));
        assertTrue(routes.bypassed("registry.example.com"), "a host");
        assertTrue(routes.bypassed("eu.registry.example.com"), "and its subdomains");
        assertFalse(routes.bypassed("myregistry.example.com"));
        assertTrue(routes.bypassed("192.168.44.5"), "an IP inside a range");
        assertFalse(routes.bypassed("192.169.0.1"));
        assertTrue(routes.bypassed("[fd00::1]"));
        assertTrue(routes.bypassed("fd00:0:0:0:0:0:0:1"), "IPv6 spellings compare as addresses");
        assertFalse(routes.bypassed("edge.example.com"));
        assertTrue(
                ProxyRoutes.of(new ProxySettings(null, "http://p:1", List.of("*")))
                        .bypassed("anything"),
                "* means nothing is proxied");
    }

    @Test
    void tlsTakesTheHttpsProxyPlainHttpTheHttpProxy() {
        assertEquals(
                Optional.of(InetSocketAddress.createUnresolved("tls.proxy", 8080)), routes.forTls("edge.example.com"));
        assertEquals(
                Optional.of(InetSocketAddress.createUnresolved("plain.proxy", 3128)),
                routes.forPlainHttp("s3.example.com"));
        assertEquals(Optional.empty(), routes.forTls("a.corp.local"));
        ProxyRoutes httpOnly = ProxyRoutes.of(new ProxySettings("http://only:3128", null, List.of()));
        assertEquals(
                Optional.of(InetSocketAddress.createUnresolved("only", 3128)),
                httpOnly.forTls("edge.example.com"),
                "TLS falls back to the http proxy when no https proxy is given");
        ProxyRoutes none = ProxyRoutes.of(ProxySettings.NONE);
        assertEquals(Optional.empty(), none.forTls("edge.example.com"));
        assertEquals(
                Optional.of(InetSocketAddress.createUnresolved("p", 80)),
                ProxyRoutes.of(new ProxySettings("http://p", null, List.of())).forPlainHttp("x"),
                "port 80 by default");
    }

    @Test
    void theSelectorFollowsTheSameRules() {
        var selector = routes.selector();
        assertEquals(
                List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("tls.proxy", 8080))),
                selector.select(URI.create("https://edge.example.com/v1/enrollments")));
        assertEquals(
                List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("plain.proxy", 3128))),
                selector.select(URI.create("http://s3.example.com:9000/bucket/key?X-Amz-Signature=x")));
        assertEquals(List.of(Proxy.NO_PROXY), selector.select(URI.create("https://minio.corp.local/bucket")));
        assertEquals(List.of(Proxy.NO_PROXY), selector.select(URI.create("http://192.168.1.20:9000/bucket")));
    }
}
