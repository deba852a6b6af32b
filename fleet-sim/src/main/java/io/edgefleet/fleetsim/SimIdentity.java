package io.edgefleet.fleetsim;

import io.edgefleet.events.EdgeTopics;
import io.edgefleet.gateway.identity.DeviceIdentity;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;

/**
 * A simulated appliance's enrolled identity, kept compact (DER bytes, about 0.7 KB): its certificate of the edge CA
 * ({@code CN=<tenant>/<uid>}), the private key that was made for it by the simulator and never sent, and the broker
 * the enrolment answer named. Decoded into a {@link DeviceIdentity} only when a connection is built.
 */
public record SimIdentity(String tenant, String uid, String mqttUrl, byte[] certificateDer, byte[] keyPkcs8) {

    /** {@code <tenant>/<uid>}: the MQTT client id and user name (the certificate's CN). */
    public String identity() {
        return EdgeTopics.identity(tenant, uid);
    }

    /** The gateway's own identity type, for its TLS material ({@code TlsMaterial.keyManagers}). */
    DeviceIdentity deviceIdentity() {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificateDer));
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(keyPkcs8));
            return new DeviceIdentity(
                    tenant, uid, certificate, key, null, null, mqttUrl, Instant.MAX, "fleet-sim-" + uid);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored identity of " + uid + " does not decode: " + e.getMessage(), e);
        }
    }
}
