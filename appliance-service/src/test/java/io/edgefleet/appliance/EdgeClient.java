package io.edgefleet.appliance;

import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.EdgePki;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What a gateway does on the edge HTTPS port, with the JDK's own HTTP client: it trusts the platform CA (the
 * server certificate) and, for renewals, presents a client certificate with its private key.
 */
final class EdgeClient {

    private final HttpClient http;
    private final String base;

    private EdgeClient(SSLContext tls, String base) {
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
        this.base = base;
    }

    /** A client without a certificate (enrolment). */
    static EdgeClient anonymous() {
        return new EdgeClient(tls(null, null), httpsBase());
    }

    /** A client presenting {@code certificate} with {@code key} (renewal), whoever issued it. */
    static EdgeClient presenting(X509Certificate certificate, PrivateKey key) {
        return new EdgeClient(tls(certificate, key), httpsBase());
    }

    static EdgeClient presenting(EdgePki.Issued issued) {
        return presenting(issued.certificate(), issued.key());
    }

    /** Plain HTTP on the operators' port. */
    static EdgeClient plainHttp() {
        return new EdgeClient(
                tls(null, null),
                "http://localhost:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class));
    }

    static String httpsBase() {
        return "https://localhost:" + ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
    }

    /** A status and a body (JSON or PEM). */
    record Answer(int status, String contentType, String body) {
        JsonPath json() {
            return JsonPath.from(body);
        }

        String text(String path) {
            return json().getString(path);
        }
    }

    Answer post(String path, String json) throws IOException {
        try {
            return answer(http.send(request(path, json), HttpResponse.BodyHandlers.ofString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    CompletableFuture<Answer> postAsync(String path, String json) {
        return http.sendAsync(request(path, json), HttpResponse.BodyHandlers.ofString())
                .thenApply(EdgeClient::answer);
    }

    Answer get(String path) throws IOException {
        try {
            return answer(http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private HttpRequest request(String path, String json) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
    }

    private static Answer answer(HttpResponse<String> response) {
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext tls(X509Certificate certificate, PrivateKey key) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(
                    "platform-ca", EdgeLinkTestResource.pki().platformCa().certificate());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keys = certificate == null ? null : new KeyManager[] {new OneIdentity(certificate, key)};
            context.init(keys, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Always presents its one certificate, even when the server asks for another issuer (the JDK's own key manager
     * would then send none): so a foreign certificate really reaches the server's checks.
     */
    private static final class OneIdentity extends X509ExtendedKeyManager {
        private final X509Certificate certificate;
        private final PrivateKey key;

        OneIdentity(X509Certificate certificate, PrivateKey key) {
            this.certificate = certificate;
            this.key = key;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"device"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return matches(keyType);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return matches(keyType); // issuers ignored on purpose
        }

        private String matches(String[] keyTypes) {
            for (String type : keyTypes) {
                if (type.equals(key.getAlgorithm())) {
                    return "device";
                }
            }
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {certificate};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }
}
