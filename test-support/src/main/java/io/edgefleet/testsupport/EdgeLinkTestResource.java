package io.edgefleet.testsupport;

import io.edgefleet.events.KafkaAccess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The edge side of the management plane for a service's end-to-end tests, as deployed (docs/edge-link.md): the test
 * PKI, a real Mosquitto (device and platform listeners, ACL by certificate identity, CRL) and the edge bridge as a real
 * process between it and the test Kafka ({@link KafkaTestResource}, which must be declared too: this starts after it).
 * Gateways in the test get a device certificate from {@link #pki()} and connect to {@link #broker()}'s device URL.
 * <p>
 * With {@code @ResourceArg(name = "appliance-service", value = "true")} the application under test is appliance-service:
 * it gets the edge CA (enrolment, CRL), its HTTPS edge port and a fixed HTTP test port, and the bridge's access sync
 * runs beside the broker, fetching the CRL from the application (revocations reach the broker as in production).
 */
public class EdgeLinkTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EdgePki pki;
    private static volatile MosquittoBroker broker;
    private static volatile BridgeProcess bridge;
    private boolean applianceService;

    @Override
    public void init(Map<String, String> initArgs) {
        applianceService = Boolean.parseBoolean(initArgs.getOrDefault("appliance-service", "false"));
    }

    /** After Kafka: the bridge needs it. */
    @Override
    public int order() {
        return 10;
    }

    @Override
    public Map<String, String> start() {
        Path home = Path.of(
                        "target", "edge-link-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        pki = EdgePki.create(home.resolve("pki"));
        broker = MosquittoBroker.start(pki, home.resolve("mosquitto"));
        Map<String, String> config = new HashMap<>();
        BridgeProcess.Builder bridgeSettings = BridgeProcess.forBroker(
                        broker, KafkaTestResource.broker().clientProperties(KafkaAccess.EDGE_BRIDGE))
                .logFile(home.resolve("bridge.log"))
                .property("bridge.mosquitto.crl-refresh", "2s");
        if (ZipkinTestResource.spansEndpoint()
                != null) { // a trace backend in this test JVM: the bridge's spans go there
            bridgeSettings.property("edgefleet.tracing.zipkin-endpoint", ZipkinTestResource.spansEndpoint());
        }
        if (applianceService) {
            int httpPort = freePort();
            config.put("quarkus.http.test-port", Integer.toString(httpPort));
            config.put(
                    "appliance.enrolment.ca-cert-file", pki.edgeCa().certFile().toString());
            config.put("appliance.enrolment.ca-key-file", pki.edgeCa().keyFile().toString());
            config.put("appliance.enrolment.mqtt-url", broker.deviceUrl());
            config.put(
                    "quarkus.http.ssl.certificate.files",
                    pki.server().certFile().toString());
            config.put(
                    "quarkus.http.ssl.certificate.key-files",
                    pki.server().keyFile().toString());
            bridgeSettings.accessSync(
                    broker, URI.create("http://localhost:" + httpPort + "/v1/certificate-authority/crl.pem"));
        }
        bridge = bridgeSettings.start();
        return config;
    }

    @Override
    public void stop() {
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public static EdgePki pki() {
        return started(pki);
    }

    public static MosquittoBroker broker() {
        return started(broker);
    }

    public static BridgeProcess bridge() {
        return started(bridge);
    }

    private static <T> T started(T part) {
        if (part == null) {
            throw new IllegalStateException("EdgeLinkTestResource is not started");
        }
        return part;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
