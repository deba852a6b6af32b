package io.edgefleet.gateway.identity;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;

/**
 * Key and trust material for the gateway's TLS connections (MQTT broker, enrolment endpoint). The device key is
 * handed to the TLS stack in memory only. Trust: the JDK's CAs plus the installer's custom CA (the platform CA of a
 * private deployment), so both a public and a private server certificate work.
 */
public final class TlsMaterial {

    private TlsMaterial() {}

    /** Presents the device certificate. */
    public static KeyManagerFactory keyManagers(DeviceIdentity identity) {
        try {
            char[] password = randomPassword();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("device", identity.key(), password, new Certificate[] {identity.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(store, password);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot use the device key for TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The JDK's CAs (or the trust store named by {@code javax.net.ssl.trustStore}) plus every certificate of
     * {@code caFile}; only the JDK's when {@code caFile} is null.
     */
    public static TrustManagerFactory trustManagers(Path caFile) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                factory.init((KeyStore) null);
                return factory;
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            Path jdk = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
            if (Files.isReadable(jdk)) {
                KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
                try (InputStream in = Files.newInputStream(jdk)) {
                    cacerts.load(in, null);
                }
                for (String alias : Collections.list(cacerts.aliases())) {
                    store.setCertificateEntry("jdk-" + alias, cacerts.getCertificate(alias));
                }
            }
            int i = 0;
            for (X509Certificate ca : Pem.readCertificates(Files.readString(caFile))) {
                store.setCertificateEntry("custom-ca-" + i++, ca);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + caFile);
            }
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    "cannot load the trusted CAs" + (caFile == null ? "" : " from " + caFile) + ": " + e.getMessage(),
                    e);
        }
    }

    /** A TLS context for java.net.http: client certificate optional. */
    public static SSLContext sslContext(KeyManagerFactory keys, TrustManagerFactory trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).toCharArray();
    }
}
