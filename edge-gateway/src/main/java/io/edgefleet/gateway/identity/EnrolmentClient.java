package io.edgefleet.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventJson;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * appliance-service's enrolment API (docs/edge-link.md): {@code POST /v1/enrollments} {@code {token, uid, csr}} over
 * HTTPS, and {@code POST /v1/enrollments/renewal} {@code {csr}} with the current certificate as TLS client
 * certificate. Only the CSR leaves the machine, never the key. Refusals come as problem details (RFC 9457), whose
 * detail is kept for the log; the request (which holds the token) is never quoted.
 */
public final class EnrolmentClient {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final TrustManagerFactory trust;
    private final ProxySelector proxies;

    /** @param endpoint {@code https://host:port[/base]} */
    public EnrolmentClient(URI endpoint, TrustManagerFactory trust, ProxySelector proxies) {
        this.endpoint = endpoint;
        this.trust = trust;
        this.proxies = proxies;
    }

    public URI endpoint() {
        return endpoint;
    }

    public IdentityStore.Issued enrol(String token, String uid, String csrPem) throws EnrolmentException {
        ObjectNode body = EventJson.mapper()
                .createObjectNode()
                .put("token", token)
                .put("uid", uid)
                .put("csr", csrPem);
        return post("/v1/enrollments", body, null, uid);
    }

    public IdentityStore.Issued renew(DeviceIdentity current, String csrPem) throws EnrolmentException {
        ObjectNode body = EventJson.mapper().createObjectNode().put("csr", csrPem);
        return post("/v1/enrollments/renewal", body, TlsMaterial.keyManagers(current), current.uid());
    }

    private IdentityStore.Issued post(String path, ObjectNode body, KeyManagerFactory clientCertificate, String uid)
            throws EnrolmentException {
        URI uri = URI.create(endpoint.toString().replaceAll("/+$", "") + path);
        HttpClient http = HttpClient.newBuilder()
                .sslContext(TlsMaterial.sslContext(clientCertificate, trust))
                .proxy(proxies)
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER) // the token goes to this endpoint and no other
                .build();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, application/problem+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            EventJson.mapper().writeValueAsBytes(body)))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new EnrolmentException(0, null, uri + " unreachable: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnrolmentException(0, null, "interrupted", e);
        }
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            String detail = problemDetail(response.body());
            throw new EnrolmentException(
                    response.statusCode(),
                    detail,
                    uri + " answered " + response.statusCode() + (detail == null ? "" : ": " + detail),
                    null);
        }
        return answer(response.body(), uid, uri);
    }

    private static IdentityStore.Issued answer(byte[] body, String uid, URI uri) throws EnrolmentException {
        try {
            JsonNode json = EventJson.mapper().readTree(body);
            X509Certificate certificate = Pem.readCertificate(text(json, "certificate"));
            String tenant = text(json, "tenant");
            String answeredUid = text(json, "uid");
            if (!uid.equals(answeredUid) || !EdgeTopics.validName(tenant)) {
                throw new IllegalArgumentException(
                        "the answer names " + tenant + "/" + answeredUid + ", not this appliance '" + uid + "'");
            }
            var subject = DeviceIdentity.subjectOf(certificate);
            if (subject == null
                    || !subject.tenant().equals(tenant)
                    || !subject.uid().equals(uid)) {
                throw new IllegalArgumentException("the certificate's subject " + certificate.getSubjectX500Principal()
                        + " is not CN=" + tenant + "/" + uid);
            }
            String renewAfter = json.path("renewAfter").asText(null);
            return new IdentityStore.Issued(
                    tenant,
                    uid,
                    certificate,
                    json.path("caCertificate").asText(null),
                    text(json, "mqttUrl"),
                    renewAfter == null ? DeviceIdentity.defaultRenewAfter(certificate) : Instant.parse(renewAfter));
        } catch (IOException | CertificateException | IllegalArgumentException | DateTimeParseException e) {
            throw new EnrolmentException(0, null, uri + " gave an answer the gateway cannot use: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode json, String field) {
        String value = json.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("no '" + field + "'");
        }
        return value;
    }

    /** RFC 9457: {@code detail}, else {@code title}; a short plain body otherwise. */
    private static String problemDetail(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode json = EventJson.mapper().readTree(body);
            String detail = json.path("detail").asText(null);
            return detail != null ? detail : json.path("title").asText(null);
        } catch (IOException e) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            return text.length() > 200 ? text.substring(0, 200) + "…" : text;
        }
    }

    private static String describe(IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + message;
    }
}
