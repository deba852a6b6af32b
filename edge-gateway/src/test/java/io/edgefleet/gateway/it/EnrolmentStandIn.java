package io.edgefleet.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventJson;
import io.edgefleet.testsupport.EdgePki;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import javax.naming.ldap.LdapName;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * <b>A stand-in for appliance-service's enrolment endpoint</b> (appliance-service is a downstream module and cannot
 * be a dependency of the gateway's tests; its own tests run the real endpoint against a real gateway). It implements
 * the contract of docs/edge-link.md on a real HTTPS port whose certificate the platform CA signed: {@code POST
 * /v1/enrollments} (token rules: unknown, used up or revoked → 401; bound to another uid → 403; a uid enrolled before
 * needs a token for that uid → 409; the CSR's signature must verify; the certificate {@code CN=<tenant>/<uid>} is
 * signed with {@code EdgePki}'s edge CA) and {@code POST /v1/enrollments/renewal} with the current certificate as TLS
 * client certificate. Refusals are problem details. Certificates live {@code life} (short in tests, to see renewals).
 * Every request is kept for the test to inspect.
 */
final class EnrolmentStandIn implements AutoCloseable {

    /** A request as it arrived: its path, its JSON body, and the client certificate it came with (null: none). */
    record Request(String path, String body, X509Certificate clientCertificate, Instant at) {}

    private record Token(String uid, int maxUses, int[] uses, boolean[] revoked) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Provider BC = new BouncyCastleProvider();
    private final EdgePki pki;
    private final String tenant;
    private final String mqttUrl;
    private volatile Duration life;
    private final HttpsServer server;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Set<String> enrolledUids = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new ArrayList<>();
    private final List<X509Certificate> issued = new ArrayList<>();

    EnrolmentStandIn(EdgePki pki, String tenant, String mqttUrl, Duration life) throws Exception {
        this.pki = pki;
        this.tenant = tenant;
        this.mqttUrl = mqttUrl;
        this.life = life;
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext tls = serverContext(pki);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                parameters.setWantClientAuth(true); // renewal: the current certificate; enrolment: none
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/v1/enrollments", this::handle);
        server.start();
    }

    /** {@code https://localhost:PORT}: the server certificate names localhost. */
    String url() {
        return "https://localhost:" + port();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void life(Duration life) {
        this.life = life;
    }

    /** A token for any uid (null) or for one uid, good for {@code maxUses} enrolments. */
    String issueToken(String uid, int maxUses) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = "eft_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        tokens.put(token, new Token(uid, maxUses, new int[1], new boolean[1]));
        return token;
    }

    void revoke(String token) {
        tokens.get(token).revoked()[0] = true;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized List<X509Certificate> issued() {
        return List.copyOf(issued);
    }

    synchronized long count(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            X509Certificate client = clientCertificate((HttpsExchange) exchange);
            synchronized (this) {
                requests.add(new Request(path, body, client, Instant.now()));
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                problem(exchange, 405, "Method not allowed", "POST only");
                return;
            }
            JsonNode json = EventJson.mapper().readTree(body);
            switch (path) {
                case "/v1/enrollments" -> enrol(exchange, json);
                case "/v1/enrollments/renewal" -> renew(exchange, json, client);
                default -> problem(exchange, 404, "Not found", path);
            }
        } catch (Exception e) {
            problem(exchange, 500, "Internal error", e.toString());
        } finally {
            exchange.close();
        }
    }

    private void enrol(HttpExchange exchange, JsonNode json) throws Exception {
        String uid = json.path("uid").asText("");
        Token token = tokens.get(json.path("token").asText(""));
        if (!EdgeTopics.validName(uid)) {
            problem(exchange, 400, "Bad request", "uid '" + uid + "' is not valid");
            return;
        }
        if (token == null || token.revoked()[0] || token.uses()[0] >= token.maxUses()) {
            problem(
                    exchange,
                    401,
                    "Unauthorized",
                    token == null
                            ? "unknown registration token"
                            : token.revoked()[0]
                                    ? "the registration token was revoked"
                                    : "the registration token is used up");
            return;
        }
        if (token.uid() != null && !token.uid().equals(uid)) {
            problem(exchange, 403, "Forbidden", "the registration token is for uid '" + token.uid() + "'");
            return;
        }
        if (enrolledUids.contains(uid) && token.uid() == null) {
            problem(
                    exchange,
                    409,
                    "Conflict",
                    "appliance '" + uid + "' was enrolled before: re-enrolment needs a token issued for it");
            return;
        }
        PublicKey key = verifiedKey(json.path("csr").asText(""));
        if (key == null) {
            problem(exchange, 400, "Bad request", "the CSR's signature does not verify or its key is not EC P-256");
            return;
        }
        token.uses()[0]++;
        enrolledUids.add(uid);
        answer(exchange, uid, key);
    }

    private void renew(HttpExchange exchange, JsonNode json, X509Certificate client) throws Exception {
        if (client == null || Instant.now().isAfter(client.getNotAfter().toInstant())) {
            problem(exchange, 401, "Unauthorized", "renewal needs the current, valid client certificate");
            return;
        }
        EdgeTopics.Address identity = EdgeTopics.parseIdentity(commonName(client));
        PublicKey key = verifiedKey(json.path("csr").asText(""));
        if (identity == null || key == null) {
            problem(exchange, 400, "Bad request", "not a device certificate, or a CSR that does not verify");
            return;
        }
        answer(exchange, identity.uid(), key);
    }

    private void answer(HttpExchange exchange, String uid, PublicKey key) throws Exception {
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        Instant notAfter = notBefore.plus(life);
        X509Certificate certificate = sign(uid, key, notBefore, notAfter);
        synchronized (this) {
            issued.add(certificate);
        }
        ObjectNode answer = EventJson.mapper()
                .createObjectNode()
                .put("tenant", tenant)
                .put("uid", uid)
                .put("certificate", EdgePki.pem(certificate))
                .put("caCertificate", pki.edgeCa().certificatePem())
                .put("serial", certificate.getSerialNumber().toString(16))
                .put("notBefore", notBefore.toString())
                .put("notAfter", notAfter.toString())
                .put(
                        "renewAfter",
                        notBefore.plus(life.multipliedBy(2).dividedBy(3)).toString())
                .put("mqttUrl", mqttUrl)
                .put("commandsTopic", EdgeTopics.commands(tenant, uid))
                .put("reportsTopic", EdgeTopics.reports(tenant, uid));
        send(exchange, 201, "application/json", EventJson.mapper().writeValueAsBytes(answer));
    }

    private X509Certificate sign(String uid, PublicKey key, Instant notBefore, Instant notAfter) throws Exception {
        X509Certificate ca = pki.edgeCa().certificate();
        var builder = new JcaX509v3CertificateBuilder(
                ca,
                new BigInteger(159, RANDOM),
                Date.from(notBefore),
                Date.from(notAfter),
                new X500Name("CN=" + tenant + "/" + uid),
                key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        builder.addExtension(
                Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                        .build(pki.edgeCa().key())));
    }

    /** The CSR's key, if its signature verifies (proof of possession) and it is EC. */
    private static PublicKey verifiedKey(String csrPem) {
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            if (!(parser.readObject() instanceof PKCS10CertificationRequest request)) {
                return null;
            }
            // BouncyCastle's provider: the JDK's has no KeyFactory under the EC key's OID
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(request).setProvider(BC);
            if (!csr.isSignatureValid(
                    new JcaContentVerifierProviderBuilder().setProvider(BC).build(csr.getSubjectPublicKeyInfo()))) {
                return null;
            }
            PublicKey key = csr.getPublicKey();
            return key instanceof ECPublicKey ? key : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static X509Certificate clientCertificate(HttpsExchange exchange) {
        try {
            Certificate[] chain = exchange.getSSLSession().getPeerCertificates();
            return chain.length == 0 ? null : (X509Certificate) chain[0];
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static String commonName(X509Certificate certificate) throws Exception {
        return new LdapName(certificate.getSubjectX500Principal().getName())
                .getRdns().stream()
                        .filter(r -> r.getType().equalsIgnoreCase("CN"))
                        .map(r -> String.valueOf(r.getValue()))
                        .findFirst()
                        .orElse(null);
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        ObjectNode body = EventJson.mapper()
                .createObjectNode()
                .put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        send(exchange, status, "application/problem+json", EventJson.mapper().writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /** The server certificate (localhost) of the platform CA; client certificates are checked against the edge CA. */
    private static SSLContext serverContext(EdgePki pki) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", pki.server().key(), "changeit".toCharArray(), new Certificate[] {
            pki.server().certificate()
        });
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
        keyManagers.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                keyManagers.getKeyManagers(), TestBridge.trust(pki.edgeCa()).getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static Set<String> fieldNames(String json) throws IOException {
        Set<String> names = new HashSet<>();
        EventJson.mapper().readTree(json).fieldNames().forEachRemaining(names::add);
        return names;
    }
}
