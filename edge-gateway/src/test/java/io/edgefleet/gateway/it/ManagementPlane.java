package io.edgefleet.gateway.it;

import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.MosquittoBroker;

import java.nio.file.Path;

/**
 * The management plane's side of the edge link as the gateway tests run it: the PKI (edge CA, platform CA), a real
 * Mosquitto configured like production, and the test as the bridge. Each test class gets its own.
 */
final class ManagementPlane implements AutoCloseable {

    final EdgePki pki;
    final MosquittoBroker broker;
    final TestBridge bridge;

    private ManagementPlane(EdgePki pki, MosquittoBroker broker, TestBridge bridge) {
        this.pki = pki;
        this.broker = broker;
        this.bridge = bridge;
    }

    static ManagementPlane start(Path dir) {
        EdgePki pki = EdgePki.create(dir.resolve("pki"));
        MosquittoBroker broker = MosquittoBroker.start(pki, dir.resolve("mosquitto"));
        return new ManagementPlane(pki, broker, new TestBridge(broker));
    }

    /** A gateway with a device certificate of the edge CA (no enrolment), tenant-a. */
    GatewaySettings gateway(String uid, Path stateDir) {
        EdgePki.Issued device = pki.device(GatewayHarness.TENANT, uid);
        return GatewaySettings.issued(
                uid,
                device.certFile(),
                device.keyFile(),
                broker.deviceUrl(),
                pki.platformCa().certFile(),
                stateDir);
    }

    @Override
    public void close() {
        bridge.close();
        broker.close();
    }
}
