package io.edgefleet.gateway.it;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.identity.IdentitySource;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.testing.Tinyproxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The installer's proxy applies to the gateway's own connections: with a real HTTP CONNECT proxy (tinyproxy, its own
 * configuration, only the broker's and the enrolment endpoint's ports allowed) the gateway enrols and talks MQTT
 * through CONNECT tunnels, which the proxy's log shows; with {@code --no-proxy} naming the host it goes direct — it
 * works with the proxy gone.
 */
class ProxyTest {

    @TempDir
    Path home;

    @Test
    void theGatewayEnrolsAndTalksMqttThroughTheProxyAndBypassesItForNoProxyHosts() throws Exception {
        try (ManagementPlane plane = ManagementPlane.start(home.resolve("plane"));
                EnrolmentStandIn endpoint =
                        new EnrolmentStandIn(plane.pki, TENANT, plane.broker.deviceUrl(), Duration.ofHours(1))) {
            Tinyproxy proxy =
                    Tinyproxy.start(home.resolve("proxy"), List.of(plane.broker.devicePort(), endpoint.port()));
            try {
                String viaProxy = "via-proxy-" + UUID.randomUUID().toString().substring(0, 8);
                ProxySettings proxied = new ProxySettings(null, proxy.url(), List.of("10.0.0.0/8", ".corp.local"));
                try (EdgeGateway gateway = start(plane, endpoint, viaProxy, proxied)) {
                    assertEquals(
                            1,
                            plane.bridge
                                    .await(
                                            r -> viaProxy.equals(r.uid())
                                                    && r.type().equals(EventTypes.GATEWAY_REGISTERED),
                                            1,
                                            Duration.ofSeconds(60))
                                    .size(),
                            "enrolled and connected through the proxy");
                }
                String seen = proxy.log();
                assertTrue(
                        seen.contains("CONNECT localhost:" + endpoint.port() + " "),
                        "the enrolment went through a CONNECT tunnel:\n" + seen);
                assertTrue(
                        seen.contains("CONNECT localhost:" + plane.broker.devicePort() + " "),
                        "MQTT went through a CONNECT tunnel:\n" + seen);
            } finally {
                proxy.close();
            }

            // --no-proxy names the host: direct connections, even with the proxy gone
            String direct = "direct-" + UUID.randomUUID().toString().substring(0, 8);
            ProxySettings bypassed = new ProxySettings(null, proxy.url(), List.of(".corp.local", "localhost"));
            try (EdgeGateway gateway = start(plane, endpoint, direct, bypassed)) {
                assertEquals(
                        1,
                        plane.bridge
                                .await(
                                        r -> direct.equals(r.uid()) && r.type().equals(EventTypes.GATEWAY_REGISTERED),
                                        1,
                                        Duration.ofSeconds(60))
                                .size(),
                        "enrolled and connected without the proxy");
            }
        }
    }

    private EdgeGateway start(ManagementPlane plane, EnrolmentStandIn endpoint, String uid, ProxySettings proxy)
            throws Exception {
        Path token = Files.writeString(home.resolve(uid + ".token"), endpoint.issueToken(uid, 1));
        GatewaySettings settings = new GatewaySettings(
                uid,
                new IdentitySource.Enrol(URI.create(endpoint.url()), token, Duration.ofSeconds(2)),
                plane.pki.platformCa().certFile(),
                "127.0.0.1",
                false,
                "online",
                null,
                null,
                proxy,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                home.resolve(uid));
        return new EdgeGateway(settings, InventoryProbe.ofThisMachine(), null).start(); // a gateway that only reports
    }
}
