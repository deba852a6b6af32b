package io.edgefleet.appliance;

import io.edgefleet.testsupport.EdgePki;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * The tests' PKI (test-support's {@link EdgePki}) handed to the application: the edge CA's certificate and key
 * sign device certificates and the CRL and are the trust store of the HTTPS port, whose server certificate the
 * platform CA signed.
 */
public class EdgePkiTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EdgePki pki;

    @Override
    public Map<String, String> start() {
        pki = EdgePki.create(Path.of("target", "edge-pki").toAbsolutePath());
        return Map.of(
                "appliance.enrolment.ca-cert-file", pki.edgeCa().certFile().toString(),
                "appliance.enrolment.ca-key-file", pki.edgeCa().keyFile().toString(),
                "quarkus.http.ssl.certificate.files", pki.server().certFile().toString(),
                "quarkus.http.ssl.certificate.key-files", pki.server().keyFile().toString());
    }

    @Override
    public void stop() {
        // the files stay in target/ for a look after a failed run
    }

    /** The PKI of the running test application. */
    public static EdgePki pki() {
        if (pki == null) {
            throw new IllegalStateException("EdgePkiTestResource is not started");
        }
        return pki;
    }
}
