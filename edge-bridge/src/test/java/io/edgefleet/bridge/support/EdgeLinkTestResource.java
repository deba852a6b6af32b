package io.edgefleet.bridge.support;

import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.MosquittoBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The edge side for the bridge under test: the test PKI, a real Mosquitto configured like production (device and
 * platform listeners, device ACL, CRL), and the stand-in for appliance-service's CRL endpoint. The bridge gets the
 * platform listener and, with the access sync on, the broker's ACL file, CRL file and pid file.
 */
public class EdgeLinkTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EdgePki pki;
    private static volatile MosquittoBroker broker;
    private static volatile ApplianceServiceCrlEndpoint crlEndpoint;

    @Override
    public Map<String, String> start() {
        Path home = Path.of(
                        "target", "edge-link-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        pki = EdgePki.create(home.resolve("pki"));
        broker = MosquittoBroker.start(pki, home.resolve("mosquitto"));
        crlEndpoint = ApplianceServiceCrlEndpoint.start(pki);
        return Map.of(
                "bridge.mqtt.url", broker.platformUrl(),
                "bridge.mqtt.cert-file", pki.bridge().certFile().toString(),
                "bridge.mqtt.key-file", pki.bridge().keyFile().toString(),
                "bridge.mqtt.ca-file", pki.platformCa().certFile().toString(),
                "bridge.mosquitto.acl-file", broker.deviceAclFile().toString(),
                "bridge.mosquitto.crl-file", broker.crlFile().toString(),
                "bridge.mosquitto.pid-file", broker.pidFile().toString(),
                "bridge.mosquitto.edge-ca-file", pki.edgeCa().certFile().toString(),
                "bridge.mosquitto.crl-url", crlEndpoint.url().toString());
    }

    @Override
    public void stop() {
        if (crlEndpoint != null) {
            crlEndpoint.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    public static EdgePki pki() {
        return pki;
    }

    public static MosquittoBroker broker() {
        return broker;
    }

    public static ApplianceServiceCrlEndpoint crlEndpoint() {
        return crlEndpoint;
    }
}
